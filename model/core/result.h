// Errors are values: every layer returns Result<T> instead of throwing.
#pragma once

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace cse {

// What kind of failure this is: code branches on the kind, never on the
// message text or on raw status numbers.
enum class ErrorKind {
    Unknown,      // anything not classified below
    Invalid,      // bad input: 400, a schema or capiYaml error, a bad option
    Unauthorized, // 401: not logged in, bad credentials, expired session
    Forbidden,    // 403 (VCD also answers 403 for an entity that does not exist)
    NotFound,     // 404, or an entity/resource that is gone
    Conflict,     // 412 (ETag lost) or 409
    TooMany,      // 429: throttled
    Unreachable,  // no answer: connection refused/closed, DNS, TLS, timeout
    Canceled,     // the caller canceled
    ServerError,  // 5xx
};

QString toString(ErrorKind kind);
ErrorKind kindForHttpStatus(int status); // Unknown for 0 and 2xx/3xx

struct Error
{
    ErrorKind kind = ErrorKind::Unknown;
    QString message;        // what went wrong, for a person
    QString operation;      // what we were doing, e.g. "PUT /cloudapi/1.0.0/entities/{id}"
    QString minorErrorCode; // VCD's minorErrorCode when there is one
    QString requestId;      // VCD request id, for support
    int httpStatus = 0;     // 0 when no HTTP exchange took place

    QString toString() const;
    bool is(ErrorKind k) const { return kind == k; }
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T *operator->() const { return &std::get<0>(m_v); }
    T *operator->() { return &std::get<0>(m_v); }
    const T &operator*() const & { return std::get<0>(m_v); }
    T &operator*() & { return std::get<0>(m_v); }

    const Error &error() const { return std::get<1>(m_v); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

// Result without a value.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(QString message, QString operation = {})
{
    Error e;
    e.kind = ErrorKind::Unknown;
    e.message = std::move(message);
    e.operation = std::move(operation);
    return e;
}

inline Error makeError(ErrorKind kind, QString message, QString operation = {})
{
    Error e = makeError(std::move(message), std::move(operation));
    e.kind = kind;
    return e;
}

} // namespace cse
