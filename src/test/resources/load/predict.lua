-- Sustained load on POST /api/v1/predict: one connection record per request.
-- wrk -t2 -c64 -d30s --latency -s src/test/resources/load/predict.lua http://127.0.0.1:7070/api/v1/predict
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"record": "0,tcp,private,REJ,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,229,10,0,0,1,1,0.04,0.06,0,255,10,0,0.04,0.06,0,0,0,1,1"}'

local non2xx = 0

response = function(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, errors (connect/read/write/timeout): %d/%d/%d/%d, non-2xx: %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s latency: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
