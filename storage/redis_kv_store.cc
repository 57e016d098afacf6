#include "storage/redis_kv_store.h"

#include <algorithm>
#include <charconv>

#include "storage/kv_cursor.h"

namespace pactown::storage {
namespace {

// KEYS[1] index; ARGV: lower bound, upper bound (ZRANGEBYLEX syntax), limit, entry key prefix.
// Returns {complete (1|0), cursor key or nil, name, e or nil, m or nil, name, ...}: up to `limit`
// live keys. It reads one entry past the page so `complete` is exact, and removes index entries
// whose hash has expired or gone.
constexpr std::string_view kListScript = R"lua(
local idx, lo, hi = KEYS[1], ARGV[1], ARGV[2]
local limit, pfx = tonumber(ARGV[3]), ARGV[4]
local budget = tonumber(ARGV[5])
local res, n, scanned = {1, false}, 0, 0
while true do
  local want = limit + 1 - n
  local batch = redis.call('ZRANGEBYLEX', idx, lo, hi, 'LIMIT', 0, want)
  for _, name in ipairs(batch) do
    scanned = scanned + 1
    local k = pfx .. name
    if redis.call('EXISTS', k) == 1 then
      n = n + 1
      if n > limit then
        res[1] = 0
        return res
      end
      local em = redis.call('HMGET', k, 'e', 'm')
      res[#res + 1] = name
      res[#res + 1] = em[1]
      res[#res + 1] = em[2]
      res[2] = name
    else
      redis.call('ZREM', idx, name)
    end
  end
  if #batch < want then return res end
  lo = '(' .. batch[#batch]
  if scanned >= budget then
    res[1] = 0
    res[2] = batch[#batch]
    return res
  end
end
)lua";

std::string namespaceTag(const std::string& ns) {
  bool plain = !ns.empty() && std::all_of(ns.begin(), ns.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (plain) return ns;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "%";
  for (char c : ns) {
    tag += kHex[static_cast<uint8_t>(c) >> 4];
    tag += kHex[static_cast<uint8_t>(c) & 15];
  }
  return tag;
}

std::string entryPrefix(const std::string& ns) { return "pt:kv:{" + namespaceTag(ns) + "}:k:"; }

std::string text(const redisReply* reply) { return std::string(reply->str, reply->len); }

std::string failureMessage(const redisReply* reply, const std::string& error) {
  return reply == nullptr ? error : "Redis error: " + text(reply);
}

KvStatus redisFailure(const redisReply* reply, const std::string& error) {
  return KvStatus::failure(failureMessage(reply, error));
}

std::optional<std::string> optionalText(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_STRING) return std::nullopt;
  return text(reply);
}

std::optional<int64_t> optionalSeconds(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_STRING) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(reply->str, reply->str + reply->len, value);
  if (ec != std::errc() || end != reply->str + reply->len) return std::nullopt;
  return value;
}

// An HMGET v m e reply.
KvGetResult parseEntry(const redisReply* reply) {
  KvGetResult result;
  if (reply->type == REDIS_REPLY_ERROR) return KvGetResult::failed(failureMessage(reply, ""));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) {
    return KvGetResult::failed("unexpected reply from Redis to HMGET");
  }
  if (reply->element[0]->type != REDIS_REPLY_STRING) return result;  // missing or expired
  result.found = true;
  result.value = text(reply->element[0]);
  result.metadata = optionalText(reply->element[1]);
  result.expiration = optionalSeconds(reply->element[2]);
  return result;
}

// The EXEC reply of a transaction: fails when the transaction or any command in it failed.
KvStatus execStatus(const redisReply* reply, const std::string& error) {
  if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) return redisFailure(reply, error);
  if (reply->type != REDIS_REPLY_ARRAY) return KvStatus::failure("Redis transaction aborted");
  for (size_t i = 0; i < reply->elements; ++i) {
    if (reply->element[i]->type == REDIS_REPLY_ERROR) return redisFailure(reply->element[i], "");
  }
  return KvStatus::success();
}

}  // namespace

RedisKvStore::RedisKvStore(uv_loop_t* loop, RedisEndpoint endpoint,
                           RedisConnection::Options options)
    : completions_(loop), connection_(loop, std::move(endpoint), options) {}

RedisKvStore::~RedisKvStore() = default;

std::string RedisKvStore::entryKey(const std::string& ns, std::string_view key) {
  std::string out = entryPrefix(ns);
  out.append(key);
  return out;
}

std::string RedisKvStore::indexKey(const std::string& ns) {
  return "pt:kv:{" + namespaceTag(ns) + "}:i";
}

void RedisKvStore::get(const std::string& ns, const std::string& key, KvGetCallback done) {
  auto request = std::make_unique<RedisRequest>(
      [this, done = std::move(done)](const redisReply* reply, const std::string& error) {
        KvGetResult result = reply != nullptr ? parseEntry(reply) : KvGetResult::failed(error);
        completions_.post(
            [done, result = std::move(result)]() mutable { done(std::move(result)); });
      });
  request->command().arg("HMGET").argCopy(entryKey(ns, key)).arg("v").arg("m").arg("e");
  connection_.submit(std::move(request));
}

void RedisKvStore::getMany(const std::string& ns, std::vector<std::string> keys,
                           KvGetManyCallback done) {
  if (keys.empty()) {
    completions_.post([done = std::move(done)] { done(KvGetManyResult{}); });
    return;
  }
  size_t count = keys.size();
  auto request = std::make_unique<RedisRequest>(
      [this, count, done = std::move(done)](const redisReply* reply, const std::string& error) {
        KvGetManyResult result;
        result.status = execStatus(reply, error);
        if (result.status.ok && reply->elements != count) {
          result.status = KvStatus::failure("unexpected reply from Redis to EXEC");
        }
        for (size_t i = 0; result.status.ok && i < count; ++i) {
          KvGetResult entry = parseEntry(reply->element[i]);
          if (!entry.status.ok) result.status = entry.status;
          result.entries.push_back(std::move(entry));
        }
        if (!result.status.ok) result.entries.clear();
        completions_.post(
            [done, result = std::move(result)]() mutable { done(std::move(result)); });
      });
  // One transaction: every key is read at the same instant.
  request->command().arg("MULTI");
  for (const std::string& key : keys) {
    request->command().arg("HMGET").argCopy(entryKey(ns, key)).arg("v").arg("m").arg("e");
  }
  request->command().arg("EXEC");
  connection_.submit(std::move(request));
}

void RedisKvStore::put(const std::string& ns, const std::string& key, KvBytes value,
                       KvPutOptions options, KvDoneCallback done) {
  auto request = std::make_unique<RedisRequest>(
      [this, done = std::move(done)](const redisReply* reply, const std::string& error) {
        completions_.post([done, status = execStatus(reply, error)] { done(status); });
      });
  std::string entry = entryKey(ns, key);
  request->command().arg("MULTI");
  request->command().arg("DEL").argCopy(entry);
  request->command().arg("HSET").argCopy(entry).arg("v").arg(value.view());
  if (options.metadata) request->arg("m").argCopy(std::move(*options.metadata));
  if (options.expiration) {
    std::string seconds = std::to_string(*options.expiration);
    request->arg("e").argCopy(seconds);
    request->command().arg("EXPIREAT").argCopy(entry).argCopy(seconds);
  }
  request->command().arg("ZADD").argCopy(indexKey(ns)).arg("0").argCopy(key);
  request->command().arg("EXEC");
  request->hold(std::move(value));  // the value is sent from the caller's buffer
  connection_.submit(std::move(request));
}

void RedisKvStore::remove(const std::string& ns, const std::string& key, KvDoneCallback done) {
  auto request = std::make_unique<RedisRequest>(
      [this, done = std::move(done)](const redisReply* reply, const std::string& error) {
        completions_.post([done, status = execStatus(reply, error)] { done(status); });
      });
  request->command().arg("MULTI");
  request->command().arg("DEL").argCopy(entryKey(ns, key));
  request->command().arg("ZREM").argCopy(indexKey(ns)).argCopy(key);
  request->command().arg("EXEC");
  connection_.submit(std::move(request));
}

void RedisKvStore::list(const std::string& ns, KvListOptions options, KvListCallback done) {
  uint32_t limit = std::clamp<uint32_t>(options.limit, 1, 1000);
  // Range: from the prefix, or just after the cursor's key when that is further on, up to the
  // first string past every key with the prefix.
  std::string lower = options.prefix.empty() ? "-" : "[" + options.prefix;
  if (!options.cursor.empty()) {
    std::optional<std::string> after = decodeCursor(options.cursor);
    if (!after) {
      completions_.post([done = std::move(done)] { done(KvListResult::failed("Invalid cursor")); });
      return;
    }
    if (*after >= options.prefix) lower = "(" + *after;
  }
  std::optional<std::string> end = prefixEnd(options.prefix);
  std::string upper = end ? "(" + *end : "+";

  auto request = std::make_unique<RedisRequest>(
      [this, done = std::move(done)](const redisReply* reply, const std::string& error) {
        KvListResult result;
        if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
          result.status = redisFailure(reply, error);
        } else if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2 ||
                   reply->elements % 3 != 2 || reply->element[0]->type != REDIS_REPLY_INTEGER) {
          result.status = KvStatus::failure("unexpected reply from Redis to the list script");
        } else {
          for (size_t i = 2; i < reply->elements; i += 3) {
            result.keys.push_back({text(reply->element[i]), optionalSeconds(reply->element[i + 1]),
                                   optionalText(reply->element[i + 2])});
          }
          result.listComplete = reply->element[0]->integer == 1;
          if (!result.listComplete && reply->element[1]->type == REDIS_REPLY_STRING) {
            result.cursor = encodeCursor(text(reply->element[1]));
          }
        }
        completions_.post(
            [done, result = std::move(result)]() mutable { done(std::move(result)); });
      });
  request->command()
      .arg("EVAL")
      .arg(kListScript)
      .arg("1")
      .argCopy(indexKey(ns))
      .argCopy(std::move(lower))
      .argCopy(std::move(upper))
      .argCopy(std::to_string(limit))
      .argCopy(entryPrefix(ns))
      .argCopy(std::to_string(kListScanBudget));
  connection_.submit(std::move(request));
}

}  // namespace pactown::storage
