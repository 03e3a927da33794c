-- End-to-end: the gavel Neovim plugin (editors/neovim) against the real `gavel lsp`, in a
-- headless Neovim 0.11. Run by scripts/e2e-neovim.sh:
--
--   GAVEL_BIN=target/debug/gavel nvim --headless --clean -l tests/e2e/neovim/scenario.lua
--
-- A temp project with `git init`, a Python and a Rust file with violations. For each file: the
-- diagnostics appear exactly (code, range, severity, source); the preferred quick fix is applied
-- through Neovim's own code action path; keystrokes create a new violation, which appears, and
-- then remove it (keystrokes in Python, :GavelFixAll in Rust). Then :GavelReload picks up a new
-- gavel.toml that turns a rule off. Every wait polls with a timeout; nothing sleeps to assert.

local TIMEOUT = tonumber(os.getenv("GAVEL_E2E_TIMEOUT_MS") or "") or 20000
local here = vim.fs.dirname(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p"))
local repo = vim.fn.fnamemodify(here .. "/../../..", ":p"):gsub("/$", "")
local gavel_bin = os.getenv("GAVEL_BIN") or (repo .. "/target/debug/gavel")
if not gavel_bin:match("^/") then
  gavel_bin = repo .. "/" .. gavel_bin
end

local passed, failed = 0, 0
local started = vim.uv.hrtime()

local function log(fmt, ...)
  io.stdout:write(("[%6.2fs] "):format((vim.uv.hrtime() - started) / 1e9) .. fmt:format(...) .. "\n")
end

local function fail(msg)
  failed = failed + 1
  io.stdout:write("FAIL: " .. msg .. "\n")
  io.stdout:write(("%d passed, %d failed\n"):format(passed, failed))
  local lsp_log = vim.lsp.get_log_path()
  io.stdout:write("Neovim's LSP log (" .. lsp_log .. "), last lines:\n")
  local f = io.open(lsp_log)
  if f then
    local all = vim.split(f:read("*a"), "\n")
    f:close()
    io.stdout:write(table.concat(all, "\n", math.max(1, #all - 30)) .. "\n")
  end
  os.exit(1)
end

local function ok(name)
  passed = passed + 1
  log("ok - %s", name)
end

local function eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    fail(("%s\n  expected: %s\n  actual:   %s"):format(what, vim.inspect(expected), vim.inspect(actual)))
  end
end

--- Poll (running the event loop) until check() returns true; on timeout fail with describe().
local function wait_for(what, check, describe)
  local t0 = vim.uv.hrtime()
  local done = vim.wait(TIMEOUT, check, 20)
  if not done then
    fail(("timed out after %d ms waiting for %s%s"):format(
      TIMEOUT,
      what,
      describe and ("\n  state: " .. describe()) or ""
    ))
  end
  log("   %s (%d ms)", what, (vim.uv.hrtime() - t0) / 1e6)
end

local severity_names = { "error", "warning", "info", "hint" }

--- The buffer's gavel diagnostics as users see them: code, 0-based range, severity.
local function diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "gavel" then
      table.insert(out, {
        code = d.code,
        range = { d.lnum, d.col, d.end_lnum, d.end_col },
        severity = severity_names[d.severity],
      })
    end
  end
  table.sort(out, function(a, b)
    return vim.inspect(a) < vim.inspect(b)
  end)
  return out
end

local function wait_diagnostics(bufnr, expected, what)
  wait_for(what, function()
    return vim.deep_equal(diagnostics(bufnr), expected)
  end, function()
    return vim.inspect(diagnostics(bufnr)) .. "\n  expected: " .. vim.inspect(expected)
  end)
  ok(what)
end

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function wait_text(bufnr, expected, what)
  wait_for(what, function()
    return vim.deep_equal(lines(bufnr), expected)
  end, function()
    return vim.inspect(lines(bufnr))
  end)
  ok(what)
end

--- Type keys as a user would (through the typeahead, executed now).
local function type_keys(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "xt", false)
end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

--- The code action titles the server offers at the cursor, in order, with the preferred ones.
local function actions_at_cursor(client, bufnr)
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, triggerKind = 1 }
  local response = client:request_sync("textDocument/codeAction", params, TIMEOUT, bufnr)
  if not response or response.err then
    fail("codeAction failed: " .. vim.inspect(response))
  end
  local titles = {}
  for _, a in ipairs(response.result or {}) do
    table.insert(titles, a.title .. (a.isPreferred and " (preferred)" or ""))
  end
  return titles
end

--- Apply the preferred quick fix at the cursor through Neovim's code action path.
local function apply_preferred_fix()
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.isPreferred == true
    end,
  })
end

-- The project: a real git repository with a Python and a Rust file that break built-in rules.
local project = vim.fn.tempname() .. "-gavel-e2e"
vim.fn.mkdir(project, "p")
project = vim.uv.fs_realpath(project)
local git = vim.system({ "git", "init", "-q", project }):wait()
if git.code ~= 0 then
  fail("git init: " .. (git.stderr or ""))
end
write(project .. "/app.py", table.concat({
  "import yaml",
  "",
  "",
  "def load_config(path):",
  "    with open(path) as f:",
  "        return yaml.load(f)",
  "",
}, "\n"))
write(project .. "/lib.rs", table.concat({
  "pub fn ready(flag: bool) -> bool {",
  "    if flag == true {",
  "        return true;",
  "    }",
  "    false",
  "}",
  "",
}, "\n"))
vim.fn.mkdir(project .. "/src/deep", "p")
vim.cmd.cd(project .. "/src/deep")
log("project %s, server %s, %s", project, gavel_bin, tostring(vim.version()))

-- What the plugin tells the user (vim.notify), recorded and shown in the test's output.
local notifications = {}
vim.notify = function(msg, level)
  table.insert(notifications, { msg = msg, level = level })
  log("   notify(%s): %s", level or "-", msg)
end

-- The plugin itself, as a user sets it up.
vim.opt.runtimepath:prepend(repo .. "/editors/neovim")
local gavel = require("gavel")
local settings = { watchIntervalMs = 3600000 } -- no polling: only :GavelReload reloads
-- GAVEL_E2E_START=vim.lsp.start runs the Neovim 0.10 code path (vim.lsp.start from FileType).
local legacy = os.getenv("GAVEL_E2E_START") == "vim.lsp.start"
gavel.setup({ path = gavel_bin, settings = settings, use_vim_lsp_start = legacy })
log("client started with %s", legacy and "vim.lsp.start (the 0.10 path)" or "vim.lsp.config + vim.lsp.enable")
for _, name in ipairs({ "GavelFixAll", "GavelReload", "GavelScan" }) do
  if vim.fn.exists(":" .. name) ~= 2 then
    fail(":" .. name .. " is not defined")
  end
end
ok("setup defines :GavelFixAll, :GavelReload and :GavelScan")

vim.o.showmode = false
-- Typed text must land verbatim: no auto-indentation on top of the typed spaces.
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "python", "rust" },
  callback = function(args)
    vim.bo[args.buf].indentexpr = ""
    vim.bo[args.buf].autoindent = false
    vim.bo[args.buf].smartindent = false
    vim.bo[args.buf].cindent = false
  end,
})

------------------------------------------------------------------------------------------------
-- Python
------------------------------------------------------------------------------------------------
vim.cmd.edit(project .. "/app.py")
local py = vim.api.nvim_get_current_buf()
eq("python", vim.bo[py].filetype, "filetype of app.py")

wait_for("the gavel client to attach to app.py", function()
  return #gavel.clients(py) == 1
end)
local client = gavel.clients(py)[1]
eq(project, client.config.root_dir, "root_dir (found by .git from src/deep)")
eq(settings, client.config.init_options, "initializationOptions passed through")
eq("utf-8", client.offset_encoding, "negotiated position encoding")
ok("client attached: root by .git, settings passed through, utf-8 positions")

wait_for("gavel/status", function()
  return gavel.statuses[client.id] ~= nil
end)
local status = gavel.statuses[client.id]
eq("ok", status.state, "gavel/status state")
if not (type(status.rules) == "number" and status.rules > 0) then
  fail("gavel/status rules: " .. vim.inspect(status))
end
eq(("gavel: %d rules"):format(status.rules), gavel.statusline(py), "statusline")
ok(("gavel/status received: %d rules, statusline %q"):format(status.rules, gavel.statusline(py)))

wait_diagnostics(py, {
  { code = "py.yaml-load", range = { 5, 15, 5, 27 }, severity = "error" },
}, "app.py: py.yaml-load at 6:16-6:28")
local d = vim.diagnostic.get(py)[1]
eq("yaml.load without a safe Loader can construct arbitrary Python objects. Instead: yaml.safe_load(f) [py.yaml-load]", d.message, "message (the agent message of SPEC 7.1)")
eq("https://docs.astral.sh/ruff/rules/unsafe-yaml-load/", d.user_data.lsp.codeDescription.href, "codeDescription.href")

-- Hover on the finding explains the rule.
vim.api.nvim_win_set_cursor(0, { 6, 20 })
local hover = client:request_sync(
  "textDocument/hover",
  vim.lsp.util.make_position_params(0, client.offset_encoding),
  TIMEOUT,
  py
)
local hover_text = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
for _, part in ipairs({ "py.yaml-load", "yaml.load without a safe Loader" }) do
  if not hover_text:find(part, 1, true) then
    fail(("hover lacks %q: %s"):format(part, vim.inspect(hover)))
  end
end
ok("hover on the finding names the rule and its message")

eq(
  { "Use yaml.safe_load (preferred)", "Suppress py.yaml-load on this line" },
  actions_at_cursor(client, py),
  "code actions on the finding"
)
vim.api.nvim_win_set_cursor(0, { 1, 0 })
eq({}, actions_at_cursor(client, py), "code actions on a line without findings")
ok("code actions: the fix (preferred) and the suppression; none elsewhere")

vim.api.nvim_win_set_cursor(0, { 6, 20 })
apply_preferred_fix()
wait_text(py, {
  "import yaml",
  "",
  "",
  "def load_config(path):",
  "    with open(path) as f:",
  "        return yaml.safe_load(f)",
}, "app.py: the preferred fix rewrote yaml.load(f) to yaml.safe_load(f)")
wait_diagnostics(py, {}, "app.py: no diagnostics after the fix")

-- Type a new function that uses eval().
type_keys("Go<CR><CR>def parse(text):<CR>    return eval(text)<Esc>")
wait_text(py, {
  "import yaml",
  "",
  "",
  "def load_config(path):",
  "    with open(path) as f:",
  "        return yaml.safe_load(f)",
  "",
  "",
  "def parse(text):",
  "    return eval(text)",
}, "app.py: typed a new function")
wait_diagnostics(py, {
  { code = "py.eval-used", range = { 9, 11, 9, 21 }, severity = "error" },
}, "app.py: the typed eval() is flagged (py.eval-used at 10:12-10:22)")
for _, d in ipairs(vim.diagnostic.get(py)) do
  eq(nil, d.message:find("AI-written", 1, true), "a typed finding is not AI-written: " .. d.message)
end

-- Fix it by typing: eval -> int.
type_keys("10G^wciwint<Esc>")
wait_text(py, {
  "import yaml",
  "",
  "",
  "def load_config(path):",
  "    with open(path) as f:",
  "        return yaml.safe_load(f)",
  "",
  "",
  "def parse(text):",
  "    return int(text)",
}, "app.py: typed eval -> int")
wait_diagnostics(py, {}, "app.py: the py.eval-used finding is gone")

-- An agent's apply: six lines inserted in one change are AI-written, and the message says so;
-- the eval() typed by hand above was not.
vim.api.nvim_buf_set_lines(py, -1, -1, false, {
  "",
  "",
  "def agent(text):",
  "    data = text.strip()",
  "    value = eval(data)",
  "    return value",
})
local function ai_eval()
  for _, d in ipairs(vim.diagnostic.get(py)) do
    if d.source == "gavel" and d.code == "py.eval-used" then
      return d
    end
  end
end
wait_for("app.py: the pasted eval() is flagged", function()
  return ai_eval() ~= nil
end, function()
  return vim.inspect(vim.diagnostic.get(py))
end)
eq(14, ai_eval().lnum, "line of the pasted eval()")
eq(true, ai_eval().message:find("[AI-written]", 1, true) ~= nil, "the message says AI-written")
ok("app.py: a six-line paste is AI-written")
vim.api.nvim_buf_set_lines(py, 10, -1, false, {})
wait_diagnostics(py, {}, "app.py: the pasted lines are gone again")

------------------------------------------------------------------------------------------------
-- Rust
------------------------------------------------------------------------------------------------
vim.cmd.edit(project .. "/lib.rs")
local rs = vim.api.nvim_get_current_buf()
eq("rust", vim.bo[rs].filetype, "filetype of lib.rs")
wait_for("the gavel client to attach to lib.rs", function()
  return #gavel.clients(rs) == 1
end)
eq(client.id, gavel.clients(rs)[1].id, "one client for the project's Python and Rust buffers")
ok("lib.rs attached to the same client")

wait_diagnostics(rs, {
  { code = "rs.bool-comparison", range = { 1, 7, 1, 19 }, severity = "warning" },
}, "lib.rs: rs.bool-comparison at 2:8-2:20")

vim.api.nvim_win_set_cursor(0, { 2, 10 })
apply_preferred_fix()
wait_text(rs, {
  "pub fn ready(flag: bool) -> bool {",
  "    if flag {",
  "        return true;",
  "    }",
  "    false",
  "}",
}, "lib.rs: the preferred fix rewrote `flag == true` to `flag`")
wait_diagnostics(rs, {}, "lib.rs: no diagnostics after the fix")

type_keys("Go<CR>pub fn idle(flag: bool) -> bool {<CR>    flag != false<CR>}<Esc>")
wait_diagnostics(rs, {
  { code = "rs.bool-comparison", range = { 8, 4, 8, 17 }, severity = "warning" },
}, "lib.rs: the typed `flag != false` is flagged at 9:5-9:18")

vim.cmd("GavelFixAll")
wait_text(rs, {
  "pub fn ready(flag: bool) -> bool {",
  "    if flag {",
  "        return true;",
  "    }",
  "    false",
  "}",
  "",
  "pub fn idle(flag: bool) -> bool {",
  "    flag",
  "}",
}, "lib.rs: :GavelFixAll rewrote `flag != false` to `flag`")
wait_diagnostics(rs, {}, "lib.rs: no diagnostics after :GavelFixAll")

------------------------------------------------------------------------------------------------
-- :GavelReload picks up a new gavel.toml (the server does not poll: watchIntervalMs is an hour)
------------------------------------------------------------------------------------------------
type_keys("9GA == true<Esc>")
eq("    flag == true", lines(rs)[9], "typed ` == true`")
wait_diagnostics(rs, {
  { code = "rs.bool-comparison", range = { 8, 4, 8, 16 }, severity = "warning" },
}, "lib.rs: the typed `flag == true` is flagged")

local statuses_seen = 0
vim.api.nvim_create_autocmd("User", {
  pattern = "GavelStatus",
  callback = function()
    statuses_seen = statuses_seen + 1
  end,
})
write(project .. "/gavel.toml", '[rules]\n"rs.bool-comparison" = "off"\n')
vim.cmd("GavelReload")
wait_for("gavel/status after :GavelReload", function()
  return statuses_seen == 1 and gavel.statuses[client.id].state == "ok"
end, function()
  return vim.inspect(gavel.statuses[client.id])
end)
ok(("gavel/status after :GavelReload: %d rules"):format(gavel.statuses[client.id].rules))
wait_diagnostics(rs, {}, "lib.rs: rs.bool-comparison is off after :GavelReload")

-- A broken gavel.toml: the status says so and the file gets a diagnostic.
write(project .. "/gavel.toml", '[rules]\n"rs.bool-comparison" = "loud"\n')
vim.cmd("GavelReload")
wait_for("gavel/status error after :GavelReload", function()
  return gavel.statuses[client.id].state == "error"
end, function()
  return vim.inspect(gavel.statuses[client.id])
end)
local err = gavel.statuses[client.id].errors[1]
local toml_buf = vim.uri_to_bufnr(vim.uri_from_fname(project .. "/gavel.toml"))
wait_diagnostics(toml_buf, {
  { range = { 1, 23, 1, 29 }, severity = "error" },
}, "gavel.toml: the policy error is a diagnostic at 2:24")
eq(project .. "/gavel.toml", err.file, "the policy error names gavel.toml")
eq(2, err.line, "the policy error's line")
eq("gavel: policy error", gavel.statusline(rs), "statusline on a policy error")
eq({
  msg = ("gavel: policy error: %s:2:24: %s"):format(err.file, err.message),
  level = vim.log.levels.ERROR,
}, notifications[#notifications], "the notification of the policy error")
ok(("broken gavel.toml reported: %s:%d:%d: %s"):format(err.file, err.line, err.column, err.message))

vim.lsp.stop_client(client.id)
wait_for("the server to exit", function()
  return vim.lsp.get_client_by_id(client.id) == nil
end)
vim.fn.delete(project, "rf")
log("%d passed, %d failed", passed, failed)
io.stdout:write(("%d passed, %d failed\n"):format(passed, failed))
os.exit(0)
