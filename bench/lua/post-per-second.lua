-- The pass-through POST of post.lua, also counting the answers per wall-clock second (the warm-up's time to peak):
-- each wrk thread counts in its own table, and done() adds them up into $BENCH_SECONDS_OUT as "epoch-second count"
-- lines. Answering a Lua callback per response costs wrk some CPU, so only the warm-up uses this script.
dofile(os.getenv("BENCH_LUA_DIR") .. "/post.lua")

per_second = {}

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  local now = os.time()
  per_second[now] = (per_second[now] or 0) + 1
end

local write_summary = done
done = function(summary, latency, requests)
  write_summary(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("per_second")) do
      total[second] = (total[second] or 0) + count
    end
  end
  local out = assert(io.open(os.getenv("BENCH_SECONDS_OUT"), "w"))
  for second, count in pairs(total) do
    out:write(string.format("%d %d\n", second, count))
  end
  out:close()
end
