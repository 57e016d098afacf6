// The Workers surface: ExecutionContext (ctx), the `cloudflare:workers` module (WorkerEntrypoint,
// DurableObject, RpcTarget, WorkflowEntrypoint, env), and the env object.
// https://developers.cloudflare.com/workers/runtime-apis/context/
// https://developers.cloudflare.com/workers/runtime-apis/bindings/#importing-env-as-a-global
'use strict';

const { PromisePrototypeThen, ObjectFreeze, TypeError, PromiseResolveSafe } = primordials;

// Tracks ctx.waitUntil promises so shutdown can drain them.
let pendingWaitUntil = 0;

class ExecutionContext {
  #props;
  constructor(token, props = {}) {
    if (token !== internals.workers.ctxToken) internals.webidl.illegalConstructor();
    this.#props = props;
  }

  // https://developers.cloudflare.com/workers/runtime-apis/context/#waituntil
  waitUntil(promise) {
    internals.webidl.requiredArguments(arguments.length, 1, "Failed to execute 'waitUntil' on 'ExecutionContext'");
    pendingWaitUntil++;
    ops.waitUntilChange?.(1);
    const done = () => {
      pendingWaitUntil--;
      ops.waitUntilChange?.(-1);
    };
    PromisePrototypeThen(PromiseResolveSafe(promise), done, (e) => {
      done();
      internals.reportError(e);
    });
  }

  // No origin stands behind pactown-run, so a thrown error still produces a 500.
  passThroughOnException() {}

  get props() { return this.#props; }
}
internals.webidl.configureInterface(ExecutionContext);

const ctxToken = Symbol('ctx');

// https://developers.cloudflare.com/workers/runtime-apis/rpc/
class WorkerEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}

class DurableObject {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}

class WorkflowEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}

class RpcTarget {}

// The env object is created per isolate from the configuration (vars, secrets, bindings).
const workersModule = {
  WorkerEntrypoint, DurableObject, WorkflowEntrypoint, RpcTarget, env: {},
  waitUntil: (p) => new ExecutionContext(ctxToken).waitUntil(p),
};

internals.workers = {
  ctxToken,
  ExecutionContext,
  newContext: (props) => new ExecutionContext(ctxToken, props),
  pendingWaitUntil: () => pendingWaitUntil,
  WorkerEntrypoint, DurableObject,
  // Sets the env exported by `cloudflare:workers`; call before the worker module is loaded.
  setEnv(env) { workersModule.env = env; },
};
internals.builtinModules['cloudflare:workers'] = workersModule;
internals.defineGlobals({ ExecutionContext });
