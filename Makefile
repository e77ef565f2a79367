# SPDX-License-Identifier: GPL-2.0
#
# kvmintro: build the module, the CLI and the tests.
#
#   make                         kvmintro.ko for the running kernel + the CLI
#   make KDIR=/path/to/headers   kvmintro.ko for another kernel
#   make module KDIR=... MODULE_BUILD_DIR=dir
#                                build in dir (one dir per kernel)
#   make test-programs OUT=dir   static programs that run inside the test VM
#   make unit-tests              native unit tests under ASan/UBSan
#   make check                   W=1 and sparse (C=2) builds of the module
#   make guest KDIR=... [GUEST_BUILD_DIR=dir]
#                                gpa_hpa.ko (for the GUEST's kernel) and
#                                gpa_hpa_demo: the guest side of the hypercall
#   make man                     the man pages, from Documentation/, in build/man

KDIR ?= /lib/modules/$(shell uname -r)/build
MODULE_SOURCES := Kbuild introspect hooks lib
MODULE_BUILD_DIR ?=
MAN_DIR := build/man

all: module cli

ifeq ($(MODULE_BUILD_DIR),)
module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
else
module:
	mkdir -p $(MODULE_BUILD_DIR)
	cp -r $(MODULE_SOURCES) $(MODULE_BUILD_DIR)/
	$(MAKE) -C $(KDIR) M=$(abspath $(MODULE_BUILD_DIR)) modules
endif

cli:
	$(MAKE) -C debugfs-tools

# Static, so they run unchanged from an initramfs or a chroot.
test-programs:
	@test -n "$(OUT)" || { echo "usage: make test-programs OUT=dir"; exit 1; }
	mkdir -p $(OUT)
	$(MAKE) -C tests/vmm OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static
	$(MAKE) -C tests/e2e OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static
	$(MAKE) -C debugfs-tools OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static

guest:
	$(MAKE) -C guest KDIR=$(KDIR) $(if $(GUEST_BUILD_DIR),BUILD_DIR=$(abspath $(GUEST_BUILD_DIR)))

unit-tests:
	$(MAKE) -C tests/unit

man:
	Documentation/man/mkman $(MAN_DIR)

check:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CHECK="sparse" modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C debugfs-tools clean
	$(MAKE) -C guest clean
	rm -rf $(MAN_DIR)

.PHONY: all module cli guest test-programs unit-tests check clean man
