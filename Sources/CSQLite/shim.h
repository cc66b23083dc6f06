#ifndef DIALOGD_CSQLITE_SHIM_H
#define DIALOGD_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Variadic sqlite3_db_config does not import into Swift; this fixed-arity wrapper does.
static inline int dialogd_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}

/// Variadic sqlite3_config does not import either. Memory statistics off takes a global mutex
/// out of every SQLite malloc and free (4 % of the store loop's CPU in a .jsonl flood);
/// only valid before the library initializes: SQLITE_MISUSE after.
static inline int dialogd_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}
#endif
