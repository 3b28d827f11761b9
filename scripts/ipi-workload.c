// SPDX-License-Identifier: GPL-2.0
/*
 * ipi-workload: the IPI-heavy workload of the kvmtool guest (see
 * scripts/kvmtool-vm-test.sh), built statically and run as
 *
 *	ipi-workload ROUNDS A:B [C:D ...]
 *
 * At once, until each has done ROUNDS rounds:
 *  - for every pair A:B, two processes pinned to CPUs A and B play pipe
 *    ping-pong (each wake-up of the other side is a reschedule IPI when it
 *    sleeps on another CPU);
 *  - one process with two threads pinned to every CPU.  The first maps a
 *    few pages, touches them, mprotect()s them read-only and unmaps them
 *    (TLB shootdowns to the CPUs that run the process), calls
 *    membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) (function-call IPIs) and
 *    sends a signal to the second thread of the next CPU, which reads
 *    /dev/zero all the time: a signal to a task that runs on another CPU
 *    kicks that CPU with a reschedule IPI, which wake-ups of sleeping tasks
 *    mostly do not (they queue the wake-up with a function-call IPI).  The
 *    threads go on until all of the first ones have done ROUNDS rounds.
 * Nothing spins in user mode: under QEMU's emulation of SVM, an interrupt
 * that a nested guest takes in user mode is now and then delivered twice,
 * the second time on the first instruction of the handler, in kernel mode
 * with the user's GS: the guest kernel dies.
 * It prints the wall time of the whole in milliseconds:
 *	WORKLOAD-MS <ms>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES	4

static long rounds;
static pid_t *busy_tids;
static int finished;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* The side on CPU a writes first; b answers. */
static void ping_pong(int a, int b)
{
	int ab[2], ba[2];
	pid_t pid;
	char c = 0;
	long i;

	if (pipe(ab) || pipe(ba))
		die("pipe");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		pin(b);
		for (i = 0; i < rounds; i++) {
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				die("pong");
		}
		exit(0);
	}

	pin(a);
	for (i = 0; i < rounds; i++) {
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			die("ping");
	}
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
	exit(0);
}

static void on_signal(int sig)
{
}

/* Reads /dev/zero, in the kernel most of the time, until the end. */
static void *busy(void *arg)
{
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = (long)arg, fd;
	static __thread char buf[65536];

	pin(cpu);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		die("/dev/zero");
	__atomic_store_n(&busy_tids[cpu], gettid(), __ATOMIC_RELEASE);
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < ncpus) {
		if (read(fd, buf, sizeof(buf)) < 0 && errno != EINTR)
			die("read /dev/zero");
	}
	close(fd);
	return NULL;
}

static void *shootdowns(void *arg)
{
	long page = sysconf(_SC_PAGESIZE), i;
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = (long)arg;
	pid_t next;

	pin(cpu);
	/* The signals go to threads that exist. */
	while (!(next = __atomic_load_n(&busy_tids[(cpu + 1) % ncpus], __ATOMIC_ACQUIRE)))
		sched_yield();

	for (i = 0; __atomic_load_n(&finished, __ATOMIC_ACQUIRE) < ncpus; i++) {
		char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		memset(p, 1, PAGES * page);
		if (mprotect(p, PAGES * page, PROT_READ) || munmap(p, PAGES * page))
			die("mprotect/munmap");
		if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
			die("membarrier");
		/* ESRCH: that thread saw the end first, and is gone. */
		if (syscall(__NR_tgkill, getpid(), next, SIGUSR1) && errno != ESRCH)
			die("tgkill");
		if (i + 1 == rounds)
			__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void threads(int ncpus)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	pthread_t *t = calloc(2 * ncpus, sizeof(*t));
	long cpu;

	busy_tids = calloc(ncpus, sizeof(*busy_tids));
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
		die("membarrier register");
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (pthread_create(&t[2 * cpu], NULL, busy, (void *)cpu) ||
		    pthread_create(&t[2 * cpu + 1], NULL, shootdowns, (void *)cpu))
			die("pthread_create");
	}
	for (cpu = 0; cpu < 2 * ncpus; cpu++)
		pthread_join(t[cpu], NULL);
	exit(0);
}

int main(int argc, char **argv)
{
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN), i, status, failed = 0;
	struct timespec t0, t1;

	if (argc < 3 || (rounds = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: %s ROUNDS A:B [C:D ...]\n", argv[0]);
		return 2;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 2; i < argc; i++) {
		int a, b;

		if (sscanf(argv[i], "%d:%d", &a, &b) != 2 || a >= ncpus || b >= ncpus) {
			fprintf(stderr, "%s: bad pair of CPUs\n", argv[i]);
			return 2;
		}
		if (fork() == 0)
			ping_pong(a, b);
	}
	if (fork() == 0)
		threads(ncpus);

	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("WORKLOAD-MS %ld\n", (t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return failed;
}
