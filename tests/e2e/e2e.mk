# SPDX-License-Identifier: GPL-2.0
#
# Include from another Makefile to link against the end-to-end tests'
# library (tests/e2e/lib), as the tests and bench/'s L1 programs do: its
# sources, what they depend on, and its include flags.

E2E_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
E2E_LIB_DIR := $(abspath $(E2E_DIR)/../../lib)
# lib/record_list.c: the library reads the debugfs files with the CLI's reader.
E2E_LIB := $(E2E_DIR)/lib/kvmintro_e2e.c $(E2E_LIB_DIR)/record_list.c \
	   $(E2E_LIB_DIR)/record.c $(E2E_LIB_DIR)/parse.c
E2E_LIB_DEPS := $(E2E_LIB) $(E2E_DIR)/include/kvmintro_e2e.h \
		$(E2E_LIB_DIR)/record.h $(E2E_LIB_DIR)/record_list.h
E2E_CPPFLAGS := -I$(E2E_DIR)/include
