// libFuzzer target: the HTTP/1.1 request parser on arbitrary bytes, as a
// connection feeds it: the buffer in pieces, requests taken off the front.
#include "http/httpserver.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cse::http::HttpLimits limits;
    limits.maxHeaderBytes = 4096; // small bounds reach the limit paths
    limits.maxBodyBytes = 4096;
    QByteArray buffer;
    // The first byte picks a split size, so partial reads are covered too.
    const size_t step = size ? size_t(data[0] % 64) + 1 : 1;
    for (size_t at = size ? 1 : 0; at < size; at += step) {
        buffer.append(reinterpret_cast<const char *>(data + at), qsizetype(std::min(step, size - at)));
        for (int guard = 0; guard < 1000; ++guard) {
            const qsizetype before = buffer.size();
            const cse::http::ParseResult r = cse::http::parseRequest(buffer, limits);
            if (r.kind == cse::http::ParseResult::Fail) {
                if (r.status < 400 || r.status > 499 || r.message.isEmpty())
                    __builtin_trap();
                return 0; // the connection closes here
            }
            if (r.kind != cse::http::ParseResult::Complete)
                break;
            if (buffer.size() >= before) // a complete request must consume bytes
                __builtin_trap();
        }
    }
    return 0;
}
