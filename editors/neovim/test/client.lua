-- Checks of the plugin's own behaviour that only a real Neovim shows (run by
-- scripts/e2e-neovim.sh): what it tells the user, and when. Exits non-zero on a failure.
local root = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h:h")
vim.opt.runtimepath:prepend(root)
local gavel_bin = assert(vim.env.GAVEL_BIN, "GAVEL_BIN is set")

local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, { msg = msg, level = level })
end

local failed = 0
local function check(ok, what)
  if ok then
    io.stdout:write("ok: " .. what .. "\n")
  else
    failed = failed + 1
    io.stdout:write("FAILED: " .. what .. "\n  notifications: " .. vim.inspect(notes) .. "\n")
  end
end

local gavel = require("gavel")

-- 1. setup() without the binary: quiet at start, one warning when a Python buffer opens.
gavel.setup({ path = "/nonexistent/gavel" })
check(#notes == 0, "setup() without the binary says nothing while no Python or Rust file is open")
vim.cmd("enew")
vim.bo.filetype = "python"
vim.cmd("enew")
vim.bo.filetype = "rust"
check(#notes == 1 and notes[1].level == vim.log.levels.WARN, "one warning once a Python file opens")
notes = {}

-- 2. The policy-error prompt: once per change of state, not at every reload.
local on_status = gavel.client_config().handlers["gavel/status"]
local err = { state = "error", rules = 3, errors = { { file = "/p/acme.toml", line = 8, column = 1, message = "unknown key" } } }
for _ = 1, 3 do
  on_status(nil, vim.deepcopy(err), { client_id = 4242 })
end
check(#notes == 1, "the same policy error three times: one notification")
local other = vim.deepcopy(err)
other.errors[1].message = "another"
on_status(nil, other, { client_id = 4242 })
check(#notes == 2, "a different policy error: notified")
on_status(nil, { state = "ok", rules = 3, errors = {} }, { client_id = 4242 })
check(#notes == 3 and notes[3].msg:find("policies fixed"), "fixed: notified")
notes = {}

-- 3. Server INFO lines stay out of Neovim's log (it logs a server's stderr as errors).
check(gavel.client_config().cmd_env.GAVEL_LOG == (vim.env.GAVEL_LOG or "warn"), "GAVEL_LOG defaults to warn")

-- 4. :checkhealth gavel with the command from vim.lsp.config, without setup().
package.loaded["gavel"] = nil
package.loaded["gavel.health"] = nil
vim.lsp.config("gavel", { cmd = { gavel_bin, "lsp" } })
vim.cmd("checkhealth gavel")
local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
check(not report:find("cannot run") and report:find("server: "), ":checkhealth gavel runs vim.lsp.config's cmd")

-- 5. The binary from PATH: never one that a relative entry or the project itself provides.
package.loaded["gavel"] = nil
gavel = require("gavel")
local tmp = vim.fn.tempname()
local project, home = tmp .. "/repo", tmp .. "/home/bin"
for _, dir in ipairs({ project .. "/bin", home }) do
  vim.fn.mkdir(dir, "p")
end
for _, file in ipairs({ project .. "/gavel", project .. "/bin/gavel", home .. "/gavel" }) do
  vim.fn.writefile({ "#!/bin/sh" }, file)
  vim.uv.fs_chmod(file, 493) -- 0755
end
local saved_cwd, saved_path = vim.fn.getcwd(), vim.env.PATH
vim.cmd.cd(project)
vim.env.PATH = table.concat({ ".", "", "bin", project .. "/bin", home }, ":")
local cmd = gavel.cmd({ quiet = true })
vim.env.PATH = saved_path
vim.cmd.cd(saved_cwd)
check(cmd and cmd[1] == home .. "/gavel", "PATH's ., relative entries and the project's own directories are skipped")

if failed > 0 then
  vim.cmd("cquit " .. failed)
end
vim.cmd("qall!")
