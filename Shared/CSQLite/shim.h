#ifndef FANHEAT_CSQLITE_SHIM_H
#define FANHEAT_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
