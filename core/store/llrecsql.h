#pragma once
// Thin RAII wrappers over the SQLite C API for the .llrec store (internal to core/store).
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace loadline::core::store {

class Db {
public:
    Db() = default;
    ~Db() { close(); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /** Errors say "PATH: SQLite's message". */
    Status open(const std::string& path, int flags) {
        close();
        if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
            Error e;
            e.kind = ErrorKind::Io;
            e.path = path;
            e.message = m_db ? sqlite3_errmsg(m_db) : "cannot open";
            close();
            return fail(std::move(e));
        }
        sqlite3_busy_timeout(m_db, 2000);
        m_path = path;
        return {};
    }
    void close() {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
    Status exec(const char* sql) {
        char* msg = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            Error e;
            e.kind = ErrorKind::Io;
            e.path = m_path;
            e.message = msg ? msg : "SQLite error";
            sqlite3_free(msg);
            return fail(std::move(e));
        }
        return {};
    }
    std::string message() const { return m_db ? sqlite3_errmsg(m_db) : "not open"; }
    int code() const { return m_db ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE; }
    sqlite3* get() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement(Db& db, const char* sql) { m_rc = sqlite3_prepare_v2(db.get(), sql, -1, &m_st, nullptr); }
    ~Statement() { sqlite3_finalize(m_st); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return m_st != nullptr && m_rc == SQLITE_OK; }
    void reset() {
        sqlite3_reset(m_st);
        sqlite3_clear_bindings(m_st);
    }
    void bindInt(int i, std::int64_t v) { sqlite3_bind_int64(m_st, i, v); }
    void bindDouble(int i, double v) { sqlite3_bind_double(m_st, i, v); }
    void bindNull(int i) { sqlite3_bind_null(m_st, i); }
    void bindText(int i, std::string_view v) {
        sqlite3_bind_text(m_st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    int step() { return m_st ? sqlite3_step(m_st) : SQLITE_MISUSE; }
    bool isNull(int c) const { return sqlite3_column_type(m_st, c) == SQLITE_NULL; }
    double getDouble(int c) const { return sqlite3_column_double(m_st, c); }
    std::int64_t getInt(int c) const { return sqlite3_column_int64(m_st, c); }
    std::string_view getText(int c) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_st, c));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(m_st, c))) : std::string_view();
    }

private:
    sqlite3_stmt* m_st = nullptr;
    int m_rc = SQLITE_OK;
};

}  // namespace loadline::core::store
