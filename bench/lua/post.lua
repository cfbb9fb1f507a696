-- wrk script of the pass-through benchmark: POSTs one small chat completion (the same bytes to every target) and
-- writes what wrk measured as JSON to $BENCH_OUT: requests, duration, errors and latency percentiles in microseconds.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
  or '{"model":"bench-pass","max_tokens":16,"messages":[{"role":"user","content":"Say hello for the benchmark."}]}'
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_API_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

done = function(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  local e = summary.errors
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"stdev":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, latency.stdev))
  out:close()
end
