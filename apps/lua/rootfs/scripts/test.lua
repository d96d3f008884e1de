-- A Lua script run by Lua 5.4 from Debian's source on Selene (apps/lua,
-- POSIX_0013): the language, its libraries, and files through the POSIX
-- layer. Its output must be apps/lua/expected.txt.
print("Lua on Selene: " .. _VERSION)
print("args:", select("#", ...), ...)
print("ROLE is " .. tostring(os.getenv("ROLE")))

local t = {}
for i = 1, 10 do t[i] = (i * 7) % 11 end
table.sort(t)
print("sorted: " .. table.concat(t, " "))

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(string.format("fib(20) = %d, pi = %.6f, 2^0.5 = %.4f", fib(20), math.pi, 2 ^ 0.5))

local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
print("coroutine:", co(), co(), co())

local ok, err = pcall(function() error({code = 42}) end)
print("pcall:", ok, type(err), err.code)
print("gsub:", (string.gsub("hello world", "o", "0")), ("%d words"):format(#"a b c" // 2 + 1))
print("utf8:", utf8.len("Séléné"), utf8.char(955, 0x263E))

local path = "/tmp/lua.txt"
local f = assert(io.open(path, "w"))
for i = 1, 5 do f:write(string.rep(tostring(i), i), "\n") end
f:close()
local lines = {}
for line in io.lines(path) do lines[#lines + 1] = line end
print("file lines: " .. #lines .. ", last " .. lines[#lines])
assert(os.rename(path, "/tmp/lua2.txt"))
f = assert(io.open("/tmp/lua2.txt", "r"))
print("seek end:", f:seek("end"))
f:close()
assert(os.remove("/tmp/lua2.txt"))
print("after remove:", io.open("/tmp/lua2.txt") == nil)
print("clock advances:", os.clock() >= 0, type(os.time()) == "number")
local big = {}
for i = 1, 20000 do big[i] = tostring(i) end
print("heap: " .. #table.concat(big) .. " bytes joined; collectgarbage: " .. type(collectgarbage("count")))
