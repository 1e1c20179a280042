/*
 * cmd_backup.c — `pkgfresh backup FILE`: a compact, consistent copy of the
 * database (SQLite's VACUUM INTO), safe while a crawl or an analysis runs.
 */
#include "cli.h"
#include "opts.h"

/* Write the backup; FILE must not exist. */
int cmd_backup(pf_cli *cli, int argc, char **argv)
{
    const pf_opt opts[] = {{NULL, 0, 0, NULL, NULL, NULL}};
    const pf_cmdspec spec = {
        "backup", "FILE", "Write a compact, consistent copy of the database to FILE.",
        "Uses SQLite's VACUUM INTO: the copy is one self-contained file (no -wal, in\n"
        "WAL mode like the store, so it is used as it is), as of one moment, without\n"
        "free pages; other pkgfresh runs may go on meanwhile. FILE must not exist.\n"
        "Restore by pointing --db at the copy (or moving it in place while no\n"
        "pkgfresh runs).",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    if (np != 1) {
        if (np == 0)
            pf_err("backup: expected the output FILE");
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    if (pf_store_backup(st, pos[0]) != 0) {
        pf_err("backup: %s: %s", pos[0], pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
