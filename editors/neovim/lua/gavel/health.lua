-- :checkhealth gavel
local M = {}

function M.check()
  local health = vim.health
  local gavel = require("gavel")
  health.start("gavel")
  if vim.fn.has("nvim-0.10") ~= 1 then
    health.error("Neovim 0.10 or newer is needed")
  else
    health.ok(("Neovim %s"):format(tostring(vim.version())))
  end
  -- The command the client runs: from vim.lsp.config("gavel", ...) when set there (0.11).
  local configured = vim.lsp.config and vim.fn.has("nvim-0.11") == 1 and vim.lsp.config.gavel
  local cmd = gavel.options.cmd or { vim.fn.expand(gavel.options.path or "gavel"), "lsp" }
  local from_setup = gavel.options.cmd or (gavel.options.path or "gavel") ~= "gavel"
  if configured and configured.cmd ~= nil and not from_setup then
    cmd = configured.cmd
  end
  if type(cmd) == "function" then
    health.info("the server command is a function (vim.lsp.config); not checked")
  elseif vim.fn.executable(cmd[1]) == 1 then
    local out = vim.system({ cmd[1], "--version" }, { text = true }):wait()
    health.ok(("server: %s (%s)"):format(vim.fn.exepath(cmd[1]), vim.trim(out.stdout or "")))
  else
    health.error(("cannot run %q"):format(cmd[1]), {
      "cargo install --locked --path crates/gavel-cli",
      "or require('gavel').setup({ path = '/path/to/gavel' })",
    })
  end
  local clients = gavel.clients()
  if #clients == 0 then
    health.info("no gavel client is running (open a Python or Rust file)")
  end
  for _, client in ipairs(clients) do
    local s = gavel.statuses[client.id]
    local root = client.config.root_dir or "(no root: single file)"
    if s and s.state == "error" then
      for _, e in ipairs(s.errors or {}) do
        health.error(("policy error %s:%s:%s: %s"):format(e.file, e.line, e.column, e.message))
      end
    elseif s then
      health.ok(("client %d, root %s: %d rules"):format(client.id, root, s.rules or 0))
    else
      health.info(("client %d, root %s: starting"):format(client.id, root))
    end
  end
  health.info("server log: " .. vim.lsp.get_log_path() .. " (stderr of gavel lsp; set GAVEL_LOG=debug for more)")
end

return M
