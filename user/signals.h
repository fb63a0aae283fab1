/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Orderly exit for long-running commands: SIGINT and SIGTERM set a flag the
 * main loop checks; SIGPIPE is ignored so a closed stdout shows up as a
 * write error the command can end on.
 */
#ifndef SOCKTAP_SIGNALS_H
#define SOCKTAP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

extern volatile sig_atomic_t signals_stop;

void signals_install(void);
/* Sleeps up to seconds (< 0: forever) or until a stop signal; true if stopped. */
bool signals_wait(double seconds);

#endif
