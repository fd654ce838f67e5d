/* files: what kind of file a user named, said before it can hang us. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/files.h"

static char dir[] = "/tmp/sockstep-files-XXXXXX";

static void in_dir(char *out, size_t outsz, const char *name)
{
	snprintf(out, outsz, "%s/%s", dir, name);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(files_read_opens_a_regular_file)
{
	char path[128], err[256], line[16];
	FILE *f;

	in_dir(path, sizeof path, "t.jsonl");
	f = fopen(path, "w");
	fputs("hello\n", f);
	fclose(f);
	f = files_read(path, err, sizeof err);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	ck_assert_str_eq(line, "hello\n");
	fclose(f);
}
END_TEST

START_TEST(files_read_refuses_a_fifo_at_once)
{
	/* open(O_RDONLY) of a FIFO without a writer blocks; ours must not */
	char path[128], err[256];

	in_dir(path, sizeof path, "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(5);
	ck_assert_ptr_null(files_read(path, err, sizeof err));
	alarm(0);
	ck_assert_ptr_nonnull(strstr(err, "a FIFO or pipe, not a file"));
}
END_TEST

START_TEST(files_read_refuses_directories_and_endless_devices)
{
	char err[256];

	ck_assert_ptr_null(files_read(dir, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, ": a directory, not a file"));
	ck_assert_ptr_null(files_read("/dev/zero", err, sizeof err));
	ck_assert_str_eq(err, "cannot read /dev/zero: a character device, not a file");
	ck_assert_ptr_null(files_read("/nonexistent/x", err, sizeof err));
	ck_assert_str_eq(err, "cannot read /nonexistent/x: No such file or directory");
}
END_TEST

START_TEST(files_messages_escape_the_name)
{
	char err[256];

	ck_assert_ptr_null(files_read("/nonexistent/\x1b[2J", err, sizeof err));
	ck_assert_str_eq(err, "cannot read /nonexistent/\\x1b[2J: No such file or directory");
}
END_TEST

START_TEST(files_write_refuses_a_fifo_nobody_reads)
{
	char path[128], err[256];

	in_dir(path, sizeof path, "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(5);
	ck_assert_ptr_null(files_write(path, NULL, err, sizeof err));
	alarm(0);
	ck_assert_ptr_nonnull(strstr(err, "nobody reads it"));
}
END_TEST

START_TEST(files_write_never_truncates_its_input)
{
	/* through a symlink too: same device and inode */
	char path[128], link[128], err[256];
	struct stat st;
	FILE *f;

	in_dir(path, sizeof path, "trace.jsonl");
	in_dir(link, sizeof link, "alias.jsonl");
	f = fopen(path, "w");
	fputs("{\"kind\":\"note\"}\n", f);
	fclose(f);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_ptr_null(files_write(link, path, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "it is also the input"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 16);
	/* another file is written, and truncated */
	f = files_write(path, "/dev/null", err, sizeof err);
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
}
END_TEST

START_TEST(files_write_accepts_devices)
{
	char err[256];
	FILE *f = files_write("/dev/null", NULL, err, sizeof err);

	ck_assert_ptr_nonnull(f);
	fclose(f);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, files_read_opens_a_regular_file);
	tcase_add_test(tc, files_read_refuses_a_fifo_at_once);
	tcase_add_test(tc, files_read_refuses_directories_and_endless_devices);
	tcase_add_test(tc, files_messages_escape_the_name);
	tcase_add_test(tc, files_write_refuses_a_fifo_nobody_reads);
	tcase_add_test(tc, files_write_never_truncates_its_input);
	tcase_add_test(tc, files_write_accepts_devices);
	suite_add_tcase(s, tc);
	return s;
}
