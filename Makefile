# SPDX-License-Identifier: GPL-2.0
# The DSM IRQ forwarding workbench.  "make" builds, "make check" tests;
# "make help" lists the rest.  KSRC=/path/to/linux.git uses your own tree.

S := scripts
# Selftests run in the VM by "make check" (and their default order).
# Left out because QEMU's emulation of SVM, not KVM, makes them fail:
# x86/debug_regs, x86/msrs_test, x86/nested_exceptions_test; and
# x86/kvm_clock_test is flaky under TCG.
# The two-node test runs twice: vCPU0 and vCPU1 on two nodes, 10,000 IPI
# round trips per kind; then 3 vCPUs, vCPU2 local to vCPU0 (":" for spaces).
VM_TESTS ?= x86/dsm_irq_forward_test x86/dsm_irq_forward_nodes_test \
	    x86/dsm_irq_forward_nodes_test:-n:3:-p:1000 \
	    x86/xapic_ipi_test x86/xapic_state_test x86/userspace_msr_exit_test
TESTS ?= $(VM_TESTS)
export KSRC TIMEOUT ROUND_TRIPS REPS

.PHONY: all prepare deps tree export kernel selftests check bench send-prep \
	vm-test vm-shell clean help

all: prepare
	@$(S)/build-kernel.sh
	@$(S)/build-selftests.sh
	@echo
	@echo "kernel:    build/obj-vm/arch/x86/boot/bzImage"
	@echo "selftests: build/obj-vm/kselftest/kselftest_install/kvm"
	@echo "next:      make check"

deps:
	@$(S)/deps.sh

# The Debian packages, and the work tree unless there is one.
prepare: deps
	@test -d $(or $(KSRC),build/linux)/.git || $(S)/tree.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

kernel:
	@$(S)/build-kernel.sh

selftests:
	@$(S)/build-selftests.sh

check: prepare
	@$(S)/check.sh $(VM_TESTS)

bench: all
	@$(S)/bench.sh

send-prep: prepare
	@$(S)/send-prep.sh

vm-test:
	@$(S)/vm-run.sh $(TESTS)

vm-shell:
	@$(S)/vm-run.sh

clean:
	rm -rf build

help:
	@echo "make            install what is missing, fetch the base, apply the series,"
	@echo "                build the test kernel and the KVM selftests"
	@echo "make check      series checks, then the selftests in the VM"
	@echo "make bench      IPI round trips in the VM: in-kernel, local, forwarded"
	@echo "make send-prep  the series as you would mail it, in build/send/, and the"
	@echo "                git send-email command (sends nothing)"
	@echo "make tree       recreate build/linux: the base and the series (FORCE=1"
	@echo "                drops commits that were not exported)"
	@echo "make export     write the commits on 'base' back to series/"
	@echo "make kernel     rebuild the test kernel; make selftests: the selftests"
	@echo "make vm-test TESTS=\"x86/xapic_ipi_test ...\"   run chosen selftests in the VM"
	@echo "make vm-shell   boot the VM with a shell on the console"
