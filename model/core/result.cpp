#include "result.h"

namespace cse {

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
