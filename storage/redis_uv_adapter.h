// Drives a hiredis async context from a libuv loop.
//
// Written instead of using <hiredis/adapters/libuv.h> from hiredis 0.14: that adapter ignores the
// error status libuv reports for a socket error, and libuv stops the poll handle when it reports
// one, so a refused connect (or a reset) was never noticed and only a timeout ended it. This
// adapter hands such events to hiredis, which then reads the socket error itself.
#pragma once

#include <hiredis/async.h>
#include <uv.h>

namespace pactown::storage {

// Returns false when the context already has an event loop or libuv rejects its socket.
bool attachRedisToLoop(redisAsyncContext* ac, uv_loop_t* loop);

}  // namespace pactown::storage
