package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
local bench = require("common")
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("id", thread_id) end
function init(args) bench.init_thread(id or 0); bench.setup_headers() end
request = bench.query
