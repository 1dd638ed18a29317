#include "result.h"

namespace cse {

QString toString(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Unknown: return QStringLiteral("error");
    case ErrorKind::Invalid: return QStringLiteral("invalid");
    case ErrorKind::Unauthorized: return QStringLiteral("unauthorized");
    case ErrorKind::Forbidden: return QStringLiteral("forbidden");
    case ErrorKind::NotFound: return QStringLiteral("not found");
    case ErrorKind::Conflict: return QStringLiteral("conflict");
    case ErrorKind::TooMany: return QStringLiteral("too many requests");
    case ErrorKind::Unreachable: return QStringLiteral("unreachable");
    case ErrorKind::Canceled: return QStringLiteral("canceled");
    case ErrorKind::ServerError: return QStringLiteral("server error");
    }
    return QStringLiteral("error");
}

ErrorKind kindForHttpStatus(int status)
{
    switch (status) {
    case 400: case 405: case 406: case 413: case 415: case 422: return ErrorKind::Invalid;
    case 401: return ErrorKind::Unauthorized;
    case 403: return ErrorKind::Forbidden;
    case 404: case 410: return ErrorKind::NotFound;
    case 409: case 412: return ErrorKind::Conflict;
    case 429: return ErrorKind::TooMany;
    default: break;
    }
    if (status >= 500)
        return ErrorKind::ServerError;
    if (status >= 400)
        return ErrorKind::Invalid;
    return ErrorKind::Unknown;
}

QString Error::toString() const
{
    QString s;
    if (!operation.isEmpty())
        s += operation + QStringLiteral(": ");
    if (httpStatus)
        s += QStringLiteral("HTTP %1 ").arg(httpStatus);
    if (!minorErrorCode.isEmpty())
        s += QStringLiteral("[%1] ").arg(minorErrorCode);
    s += message;
    if (!requestId.isEmpty())
        s += QStringLiteral(" (request id %1)").arg(requestId);
    return s;
}

} // namespace cse
