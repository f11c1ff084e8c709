/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The report page's code, embedded as the files are (core/report/), and the
 * SHA-256 (base64) of the script and style its Content-Security-Policy
 * admits, which make computes into the build tree. Hidden: only report.c
 * reads them.
 */
#define ASSET(name, file)		\
	.globl name, name##_end;	\
	.hidden name, name##_end;	\
name:					\
	.incbin file;			\
name##_end:				\
	.byte 0

	.section .rodata.fs_report, "a"
ASSET(fs_report_html, "report.html")
ASSET(fs_report_css, "report.css")
ASSET(fs_report_js, "report.js")
ASSET(fs_report_css_sha256, "report.css.sha256")
ASSET(fs_report_js_sha256, "report.js.sha256")

	.section .note.GNU-stack, "", @progbits
