# SPDX-License-Identifier: GPL-2.0
#
# Include from another Makefile to link against the test VMM library; see
# the comment at the top of tests/vmm/Makefile.  Needs OUT set first.

VMM_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
include $(VMM_DIR)/arch.mk
VMM_CPPFLAGS := -I$(VMM_DIR)/include -I$(VMM_DIR)/include/$(VMM_ARCH) \
		-I$(VMM_DIR)/../lib
VMM_LIB = $(abspath $(OUT))/.build/vmm/libkvmvmm.a
VMM_LDFLAGS := -static -pthread

# Always ask the library's own Makefile: it knows the dependencies.
$(VMM_LIB): FORCE_VMM_LIB
	$(MAKE) -C $(VMM_DIR) lib OUT=$(abspath $(OUT)) CC=$(CC)

.PHONY: FORCE_VMM_LIB
