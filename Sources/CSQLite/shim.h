#ifndef DIALOGD_CSQLITE_SHIM_H
#define DIALOGD_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Variadic sqlite3_db_config does not import into Swift; this fixed-arity wrapper does.
static inline int dialogd_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}
#endif
