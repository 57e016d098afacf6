// Loop tear-down shared by every loop owner (server threads, test mode, tests, benchmarks).
#pragma once

#include <uv.h>

namespace pactown::runtime {

// Lets handle owners finish their own deferred closes first (their close callbacks free memory and
// may close more handles), then closes whatever is left, runs the close callbacks and closes the
// loop. Never blocks on a handle that stays active.
inline void closeLoop(uv_loop_t* loop) {
  for (int i = 0; i < 16; i++) uv_run(loop, UV_RUN_NOWAIT);
  uv_walk(
      loop,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
      },
      nullptr);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_loop_close(loop);
}

}  // namespace pactown::runtime
