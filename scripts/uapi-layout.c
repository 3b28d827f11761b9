// SPDX-License-Identifier: GPL-2.0
/*
 * The layout of the UAPI that the series adds, as numbers in the assembly
 * output: scripts/check-series.sh compiles this with -m64 and -m32 against
 * the installed headers and requires the same numbers from both.
 */
#include <stddef.h>
#include <linux/kvm.h>

#define LAYOUT(type, member) offsetof(type, member), sizeof(((type *)0)->member)

const unsigned int dsm_uapi_layout[] = {
	sizeof(struct kvm_dsm_send_irq),
	LAYOUT(struct kvm_dsm_send_irq, vcpu_id),
	LAYOUT(struct kvm_dsm_send_irq, flags),
	LAYOUT(struct kvm_dsm_send_irq, icr),
	LAYOUT(struct kvm_dsm_send_irq, dest_id),
	LAYOUT(struct kvm_dsm_send_irq, vector),
	LAYOUT(struct kvm_dsm_send_irq, delivery_mode),
	LAYOUT(struct kvm_dsm_send_irq, dest_mode),
	LAYOUT(struct kvm_dsm_send_irq, shorthand),
	LAYOUT(struct kvm_dsm_send_irq, reserved),
	sizeof(struct kvm_run),
	LAYOUT(struct kvm_run, lapic_irq),
	LAYOUT(struct kvm_run, kvm_valid_regs),
	sizeof(struct kvm_dsm_ipi),
	LAYOUT(struct kvm_dsm_ipi, vcpu_id),
	LAYOUT(struct kvm_dsm_ipi, flags),
	LAYOUT(struct kvm_dsm_ipi, icr),
	LAYOUT(struct kvm_dsm_ipi, reserved),
	sizeof(struct kvm_dsm_apic_base),
	LAYOUT(struct kvm_dsm_apic_base, vcpu_id),
	LAYOUT(struct kvm_dsm_apic_base, flags),
	LAYOUT(struct kvm_dsm_apic_base, apic_base),
	LAYOUT(struct kvm_dsm_apic_base, reserved),
	sizeof(struct kvm_dsm_pending),
	LAYOUT(struct kvm_dsm_pending, nr),
	LAYOUT(struct kvm_dsm_pending, flags),
	LAYOUT(struct kvm_dsm_pending, reserved),
	offsetof(struct kvm_dsm_pending, entries),
	KVM_DSM_IPI, KVM_DSM_X2APIC, KVM_DSM_APIC_BASE,
	KVM_DSM_GET_PENDING, KVM_DSM_SET_PENDING,
	KVM_EXIT_DSM_SEND_IRQ, KVM_CAP_X86_DSM_IRQ_FORWARD, KVM_DSM_IRQ_X2APIC,
	KVM_X86_DSM_FORWARD_IPI, KVM_X86_DSM_VCPU_LOCAL,
};
