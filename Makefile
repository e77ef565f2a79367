# SPDX-License-Identifier: GPL-2.0
#
# kvmintro: build the module, the CLI and the tests.
#
#   make                         kvmintro.ko for the running kernel + the CLI
#   make KDIR=/path/to/headers   kvmintro.ko for another kernel
#   make module KDIR=... MODULE_BUILD_DIR=dir
#                                build in dir (one dir per kernel)
#   make test-programs OUT=dir   static programs that run inside the test VM,
#                                bench/'s among them (in OUT/bench)
#   make unit-tests              native unit tests under ASan/UBSan
#   make check                   W=1 and sparse (C=2) builds of the module
#   make guest KDIR=... [GUEST_BUILD_DIR=dir]
#                                gpa_hpa.ko (for the GUEST's kernel) and
#                                gpa_hpa_demo: the guest side of the hypercall
#   make man                     the man pages, from Documentation/, in build/man
#   make sign SIGN_KEY=key.pem SIGN_CERT=cert.der [KDIR=...] [MODULE_BUILD_DIR=dir]
#                                sign kvmintro.ko with the kernel's sign-file,
#                                for a kernel that trusts that key (Secure Boot,
#                                lockdown: Documentation/install.rst)
#   make install [KDIR=...] [DESTDIR=dir] [PREFIX=/usr/local] [SIGN_KEY=... SIGN_CERT=...]
#                                the module into /lib/modules/<release>/updates
#                                (then depmod; signed first with SIGN_KEY), the
#                                CLI into PREFIX/sbin, its man pages and bash
#                                completion under PREFIX/share
#   make install-module, make install-cli: one half of it
#   make uninstall               (same variables) remove what install installed
#   make packaging-tests         build the Debian packages from a clean clone,
#                                lintian, man pages, completion, make install,
#                                DKMS in a copy of bookworm's build root

KDIR ?= /lib/modules/$(shell uname -r)/build
MODULE_SOURCES := Kbuild introspect hooks lib
MODULE_BUILD_DIR ?=
PREFIX ?= /usr/local
DESTDIR ?=
# updates/ rather than extra/: a module there wins over one of the same name
# the kernel package might ship (depmod's default search order).
INSTALL_MOD_DIR ?= updates
MAN_DIR := build/man
# Where "make module" built kvmintro.ko.
MODULE_DIR = $(if $(MODULE_BUILD_DIR),$(abspath $(MODULE_BUILD_DIR)),$(CURDIR))
# The release the module is for, as uname -r says it (Debian's headers have
# their package version in include/config/kernel.release).
KERNELRELEASE_OF_KDIR = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# modules_install signs with the kernel's key where it has one; Debian's
# headers have none (Debian signs its modules elsewhere): do not try then.
MODULE_SIG_KEY_OF_KDIR = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="*\([^"]*\)"*$$/\1/p' \
	$(KDIR)/include/config/auto.conf 2>/dev/null)
MODULE_SIGN_ARGS = $(if $(filter pkcs11:%,$(MODULE_SIG_KEY_OF_KDIR)),,$(if \
	$(wildcard $(MODULE_SIG_KEY_OF_KDIR) $(KDIR)/$(MODULE_SIG_KEY_OF_KDIR)),,CONFIG_MODULE_SIG_ALL=))

# make sign: the kernel's own sign-file (Debian's headers have it under
# scripts/), with a key given by path.  A module already signed is left as
# it is: signing again would sign the first signature too.
SIGN_KEY ?=
SIGN_CERT ?=
SIGN_HASH ?= sha256
MODULE_SIG_MAGIC := ~Module signature appended~

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

sign: module
	@test -n "$(SIGN_KEY)" -a -n "$(SIGN_CERT)" || \
		{ echo "usage: make sign SIGN_KEY=key.pem SIGN_CERT=cert.der [KDIR=...]"; exit 1; }
	@test -x $(KDIR)/scripts/sign-file || \
		{ echo "no $(KDIR)/scripts/sign-file: install the kernel's headers"; exit 1; }
	@if [ "$$(tail -c $$(printf '%s\n' '$(MODULE_SIG_MAGIC)' | wc -c) $(MODULE_DIR)/kvmintro.ko)" = '$(MODULE_SIG_MAGIC)' ]; then \
		echo "$(MODULE_DIR)/kvmintro.ko is signed already"; \
	else \
		echo "  SIGN    $(MODULE_DIR)/kvmintro.ko"; \
		$(KDIR)/scripts/sign-file $(SIGN_HASH) $(SIGN_KEY) $(SIGN_CERT) $(MODULE_DIR)/kvmintro.ko; \
	fi

cli:
	$(MAKE) -C debugfs-tools

# Static, so they run unchanged from an initramfs or a chroot.
test-programs:
	@test -n "$(OUT)" || { echo "usage: make test-programs OUT=dir"; exit 1; }
	mkdir -p $(OUT)
	$(MAKE) -C tests/vmm OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static
	$(MAKE) -C tests/e2e OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static
	$(MAKE) -C debugfs-tools OUT=$(abspath $(OUT)) CFLAGS_EXTRA=-static
	$(MAKE) -C bench l1 OUT=$(abspath $(OUT))/bench

guest:
	$(MAKE) -C guest KDIR=$(KDIR) $(if $(GUEST_BUILD_DIR),BUILD_DIR=$(abspath $(GUEST_BUILD_DIR)))

unit-tests:
	$(MAKE) -C tests/unit

man:
	Documentation/man/mkman $(MAN_DIR)

install: install-module install-cli

# The kernel's modules_install: it strips, signs (when the kernel is
# configured to, and no SIGN_KEY signed it already) and compresses as the
# kernel's own modules are.
install-module: module $(if $(SIGN_KEY),sign)
	@test -n "$(KERNELRELEASE_OF_KDIR)" || { echo "no kernel release in $(KDIR)/include/generated/utsrelease.h"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(MODULE_DIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(abspath $(DESTDIR))) DEPMOD=true \
		$(if $(SIGN_KEY),CONFIG_MODULE_SIG_ALL=,$(MODULE_SIGN_ARGS)) modules_install
	$(if $(DESTDIR),@echo "not running depmod: run 'depmod $(KERNELRELEASE_OF_KDIR)' where the module ends up",depmod $(KERNELRELEASE_OF_KDIR))

install-cli: cli man
	install -D -m 0755 debugfs-tools/kvmintro $(DESTDIR)$(PREFIX)/sbin/kvmintro
	install -D -m 0644 $(MAN_DIR)/kvmintro.8 $(DESTDIR)$(PREFIX)/share/man/man8/kvmintro.8
	install -D -m 0644 $(MAN_DIR)/kvmintro.4 $(DESTDIR)$(PREFIX)/share/man/man4/kvmintro.4
	install -D -m 0644 debugfs-tools/completion/kvmintro.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kvmintro

uninstall: uninstall-module uninstall-cli

uninstall-module:
	@test -n "$(KERNELRELEASE_OF_KDIR)" || { echo "no kernel release in $(KDIR)/include/generated/utsrelease.h"; exit 1; }
	rm -f $(DESTDIR)/lib/modules/$(KERNELRELEASE_OF_KDIR)/$(INSTALL_MOD_DIR)/kvmintro.ko*
	-rmdir --ignore-fail-on-non-empty $(DESTDIR)/lib/modules/$(KERNELRELEASE_OF_KDIR)/$(INSTALL_MOD_DIR)
	$(if $(DESTDIR),,depmod $(KERNELRELEASE_OF_KDIR))

uninstall-cli:
	rm -f $(DESTDIR)$(PREFIX)/sbin/kvmintro \
		$(DESTDIR)$(PREFIX)/share/man/man8/kvmintro.8 \
		$(DESTDIR)$(PREFIX)/share/man/man4/kvmintro.4 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kvmintro

packaging-tests:
	tests/packaging/run.sh

check:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CHECK="sparse" modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C debugfs-tools clean
	$(MAKE) -C guest clean
	rm -rf $(MAN_DIR)

.PHONY: all module sign cli guest test-programs unit-tests check clean man install \
	install-module install-cli uninstall uninstall-module uninstall-cli \
	packaging-tests
