# SPDX-License-Identifier: GPL-2.0
# The DSM IRQ forwarding workbench.  "make" builds, "make check" tests;
# "make help" lists the rest.  KSRC=/path/to/linux.git uses your own tree.

S := scripts
# Selftests run by "make check" under QEMU (AMD SVM, kvm_amd), and their
# order.  Left out because QEMU's emulation of SVM, not KVM, makes them
# fail: x86/debug_regs, x86/msrs_test, x86/nested_exceptions_test; and
# x86/kvm_clock_test is flaky under TCG.  The N-node test runs three times:
# 4 vCPUs on 3 nodes; 3 vCPUs on 3 nodes with 1,000 round trips per kind;
# 8 vCPUs on 3 nodes (broadcasts to 7) (":" for spaces).
VM_TESTS ?= x86/dsm_irq_forward_test x86/dsm_irq_forward_nodes_test \
	    x86/dsm_irq_forward_nodes_test:-n:3:-p:1000 \
	    x86/dsm_irq_forward_nodes_test:-n:8:-N:3:-p:50 \
	    x86/xapic_ipi_test x86/xapic_state_test x86/userspace_msr_exit_test
TESTS ?= $(VM_TESTS)
# The test points an AMD CPU cannot run: they need VMX (and IPIv).
QEMU_EXPECTED_SKIPS ?= dsm.vmx_msr_load_list dsm.vmx_destroy_in_l2 \
		       dsm.ipi_virtualization_off
# Selftests run under Bochs (emulated VT-x, kvm_intel) by "make check" and
# "make check-vmx": VMX_TESTS with APICv; VMX_TESTS_NOAPICV with
# kvm_intel.enable_apicv=0 and unrestricted_guest=0.  Emulation is slow: the
# N-node test runs fewer round trips.  No emulator implements IPI
# virtualization: dsm.ipi_virtualization_off skips, as expected here.
VMX_NODES_TEST ?= x86/dsm_irq_forward_nodes_test:-p:200
VMX_TESTS ?= x86/dsm_irq_forward_test \
	     $(VMX_NODES_TEST) x86/xapic_ipi_test x86/xapic_state_test \
	     x86/xapic_tpr_test x86/vmx_apic_access_test \
	     x86/vmx_apicv_updates_test x86/apic_bus_clock_test
VMX_TESTS_NOAPICV ?= x86/dsm_irq_forward_test $(VMX_NODES_TEST) \
		     x86/xapic_ipi_test x86/xapic_tpr_test
export KSRC TIMEOUT ROUND_TRIPS RUNS PAIRS OPTOUT_RUNS ICOUNT BENCH_BIN \
	QEMU_EXPECTED_SKIPS VMX_TESTS VMX_TESTS_NOAPICV CHECK_VMX

.PHONY: all prepare deps tree export kernel selftests check check-vmx check-kvmtool bench \
	kut fresh-check send-prep vm-test vm-shell clean help

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

# The VT-x stage alone (make check runs it too): the test kernel under
# Bochs, kvm_intel with APICv on, then off.
check-vmx: all
	@$(S)/check-vmx.sh "$(VMX_TESTS)" "$(VMX_TESTS_NOAPICV)"

# kvmtool boots a Linux guest split over two lkvm processes, in the VM
# (BOOTS=10 boots of each of 4 guests, RUNS=3 runs of the benchmark).
check-kvmtool: all
	@$(S)/check-kvmtool.sh

bench: all
	@$(S)/bench.sh

# kvm-unit-tests (APIC and IPI tests) in the VM, QEMU + KVM inside it, on
# the test kernel and on the base kernel without the series (about 20 min).
kut: all
	@$(S)/kut.sh $(KUT_TESTS)

# The README's two commands as root in a new debootstrap'ed Debian 12
# (the committed HEAD only; FRESH_CACHE=1 binds this machine's caches).
fresh-check:
	@$(S)/fresh-root.sh

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
	@echo "make check      series checks, then the selftests in QEMU (AMD SVM) and,\n                side by side, in Bochs (Intel VT-x, APICv on and off)"
	@echo "make check-vmx  the selftests under Bochs (emulated VT-x): kvm_intel, APICv on/off"
	@echo "make check-kvmtool  kvmtool boots Linux with its vCPUs in two lkvm processes,"
	@echo "                in the VM (build/kvmtool.results, build/kvmtool-bench.txt)"
	@echo "make bench      IPI round trips in the VM: in-kernel, local, forwarded; and"
	@echo "                the option's cost for VMs that do not use it (build/bench.txt)"
	@echo "make kut        kvm-unit-tests' APIC and IPI tests in the VM, with and without"
	@echo "                the series (build/kut.results)"
	@echo "make fresh-check  make and make check in a new Debian 12 root (committed"
	@echo "                HEAD; FRESH_CACHE=1: with this machine's caches)"
	@echo "make send-prep  the series as you would mail it, in build/send/, and the"
	@echo "                git send-email command (sends nothing)"
	@echo "make tree       recreate build/linux: the base and the series (FORCE=1"
	@echo "                drops commits that were not exported)"
	@echo "make export     write the commits on 'base' back to series/"
	@echo "make kernel     rebuild the test kernel; make selftests: the selftests"
	@echo "make vm-test TESTS=\"x86/xapic_ipi_test ...\"   run chosen selftests in the VM"
	@echo "make vm-shell   boot the VM with a shell on the console"
