// IsolateHost: built-ins bootstrap (from embedded sources: unit tests carry no snapshot), the
// internals/ops boundary, microtasks and exception reporting.
#include "runtime/isolate_host.h"

#include <gtest/gtest.h>

#include "runtime/loop_util.h"
#include "runtime/v8_platform.h"

namespace pactown::runtime {
namespace {

class IsolateHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initV8();
    uv_loop_init(&loop_);
    host_ = std::make_unique<IsolateHost>(&loop_, IsolateHostOptions{});
  }
  void TearDown() override {
    host_.reset();
    closeLoop(&loop_);
  }

  // Evaluates `js` as a classic script and returns String(result), or "throws: <message>".
  std::string eval(const std::string& js) {
    CallbackScope scope(host_.get());
    v8::Isolate* isolate = host_->isolate();
    v8::Local<v8::Script> script;
    v8::Local<v8::Value> result;
    if (!v8::Script::Compile(scope.context(), v8str(isolate, js)).ToLocal(&script) ||
        !script->Run(scope.context()).ToLocal(&result)) {
      std::string msg = "throws: " + toStdString(isolate, scope.tryCatch().Exception());
      scope.tryCatch().Reset();
      return msg;
    }
    return toStdString(isolate, result);
  }

  void expectEval(const std::string& js, const std::string& expected) {
    EXPECT_EQ(eval(js), expected) << js;
  }

  uv_loop_t loop_;
  std::unique_ptr<IsolateHost> host_;
};

TEST_F(IsolateHostTest, WebGlobalsExist) {
  expectEval("typeof Request + typeof Response + typeof Headers", "functionfunctionfunction");
  expectEval("typeof URL + typeof TextEncoder + typeof ReadableStream", "functionfunctionfunction");
  expectEval("new URL('https://a.example/b?c').searchParams.get('c')", "");
  expectEval("new TextDecoder().decode(new TextEncoder().encode('héllo'))", "héllo");
  expectEval("btoa('hi') + atob('aGk=')", "aGk=hi");
}

TEST_F(IsolateHostTest, InternalsAndOpsAreNotReachableFromUserCode) {
  expectEval("typeof internals + typeof ops + typeof primordials", "undefinedundefinedundefined");
  expectEval(
      "Object.getOwnPropertyNames(globalThis).filter(n => /^(ops|internals)$/.test(n)).length",
      "0");
  // Globals defined by built-ins are not enumerable (WebIDL).
  expectEval("Object.keys(globalThis).includes('Request')", "false");
}

TEST_F(IsolateHostTest, BuiltinsSurvivePatchedIntrinsics) {
  expectEval(
      "Array.prototype.push = () => { throw new Error('patched') };"
      "JSON.stringify = () => 'patched';"
      "new Headers([['a', '1'], ['b', '2']]).get('b')",
      "2");
}

TEST_F(IsolateHostTest, MicrotasksRunAfterEachCallback) {
  expectEval("globalThis.flag = 'no'; Promise.resolve().then(() => { globalThis.flag = 'yes' }); 0",
             "0");
  expectEval("flag", "yes");
}

TEST_F(IsolateHostTest, UnhandledRejectionsAreReported) {
  std::vector<std::string> seen;
  host_->onUnhandledRejection = [&](const std::string& text) { seen.push_back(text); };
  eval("Promise.reject(new Error('nobody listens')); Promise.reject(1).catch(() => {}); 0");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find("nobody listens"), std::string::npos);
}

TEST_F(IsolateHostTest, ExceptionsDescribeTheirLocation) {
  CallbackScope scope(host_.get());
  v8::Isolate* isolate = host_->isolate();
  v8::ScriptOrigin origin(isolate, v8str(isolate, "/tmp/w.js"));
  v8::ScriptCompiler::Source src(v8str(isolate, "let a = 1;\nthrow new TypeError('bad thing');"),
                                 origin);
  v8::Local<v8::Script> script =
      v8::ScriptCompiler::Compile(scope.context(), &src).ToLocalChecked();
  EXPECT_TRUE(script->Run(scope.context()).IsEmpty());
  std::string text =
      host_->describeException(scope.tryCatch().Exception(), scope.tryCatch().Message());
  scope.tryCatch().Reset();
  EXPECT_EQ(text.rfind("/tmp/w.js:2:1: ", 0), 0u) << text;
  EXPECT_NE(text.find("TypeError: bad thing"), std::string::npos) << text;
}

}  // namespace
}  // namespace pactown::runtime
