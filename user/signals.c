// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <time.h>
#include "signals.h"

volatile sig_atomic_t signals_stop;

static void on_stop(int sig)
{
	(void)sig;
	signals_stop = 1;
}

void signals_install(void)
{
	/* no SA_RESTART: blocking calls return EINTR so loops see the flag */
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* the terminal went away: end as cleanly as on Ctrl-C */
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool signals_wait(double seconds)
{
	struct timespec end, now;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)seconds;
	end.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (!signals_stop) {
		struct timespec step = { .tv_nsec = 50 * 1000 * 1000 };

		if (seconds >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > end.tv_sec ||
			    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
				break;
		}
		nanosleep(&step, NULL);
	}
	return signals_stop;
}
