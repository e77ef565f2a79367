# SPDX-License-Identifier: GPL-2.0
#
# The test VMM's architecture, from the compiler's target: x86_64 or
# aarch64 (include/<arch>/, lib/<arch>/).  Included by Makefile and vmm.mk.

VMM_ARCH := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
ifeq ($(filter x86_64 aarch64,$(VMM_ARCH)),)
$(error the test VMM is for x86_64 and aarch64; $(CC) builds for '$(VMM_ARCH)')
endif
