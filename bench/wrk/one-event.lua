-- wrk script for bench/ingest.ts: one deployment event per request, each new.
-- BENCH_INVALID=1 leaves out the version, so the API refuses every request (400)
-- after reading and validating it: the HTTP stack's ceiling without a write.
local invalid = os.getenv("BENCH_INVALID") == "1"
local sent = 0

request = function()
  sent = sent + 1
  local version = invalid and "" or string.format('"version":"%08x",', sent)
  local body = string.format(
    '{"type":"deployment","deploymentId":"small-%d-%d",%s"occurredAt":"2024-01-01T00:00:00.000Z",' ..
    '"service":"svc-%d","environment":"production","status":"succeeded"}',
    sent, math.random(1, 2000000000), version, sent % 500)
  return wrk.format("POST", "/api/v1/events", { ["content-type"] = "application/json" }, body)
end
