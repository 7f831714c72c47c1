package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
local bench = require("common")
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("id", thread_id) end
function init(args) bench.init_thread(id or 0); bench.setup_headers() end
-- 50% GetItem, 40% PutItem, 10% Query
request = function()
  local r = math.random(1, 100)
  if r <= 50 then return bench.get() elseif r <= 90 then return bench.put() else return bench.query() end
end
