/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_cfgread: reads a libconfig file for the profile loader (vs_prof.c) around two
 * traps of libconfig 1.5: only regular files are read, the file and every @include
 * it pulls in, so that a FIFO, a directory or a device never blocks a reload; and a
 * syntax error at a string, which makes libconfig 1.5 lose that string's buffer
 * (64 bytes and up per failed parse), is found here and never reaches libconfig.
 * Pure: libconfig and libc only, no Kamailio header. */
#ifndef VS_CFGREAD_H
#define VS_CFGREAD_H

#include <libconfig.h>

/* all text read for one file, its includes counted each time they are included */
#define VS_CFGREAD_MAX (16u << 20)
/* libconfig 1.5's own limit (scanctx.h MAX_INCLUDE_DEPTH) */
#define VS_CFGREAD_INCLUDE_DEPTH 10

/* Parse the file at path into cf (config_init()ed by the caller, who destroys it).
 * @include "x" is looked up in path's directory, as libconfig does with an include
 * dir. Returns 0, or -1 with "path: cannot read: reason" or "file:line: reason" in
 * err; the reason is libconfig's own when libconfig finds the error. */
int vs_cfgread(config_t *cf, const char *path, char *err, int errlen);

#endif
