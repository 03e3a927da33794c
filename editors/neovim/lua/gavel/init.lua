--- gavel for Neovim: starts `gavel lsp` on Python and Rust buffers, and adds :GavelFixAll,
--- :GavelReload and :GavelScan.
---
--- Neovim 0.11+: registered with vim.lsp.config("gavel", ...) and vim.lsp.enable("gavel").
--- Neovim 0.10: started with vim.lsp.start() from a FileType autocommand.

local M = {}

---@class gavel.Options
---@field cmd? string[]           the server command; default { path, "lsp" }
---@field path? string            the gavel binary; default "gavel" (from $PATH)
---@field filetypes? string[]     default { "python", "rust" }
---@field root_markers? string[]  default { "gavel.toml", ".git" } (the nearest wins)
---@field settings? table         passed as initializationOptions: config, maxFileBytes,
---                               incremental, parseTimeoutMs, reparseBudgetMs,
---                               watchIntervalMs, suppressAction
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table     merged into Neovim's client capabilities
---@field commands? boolean       define the :Gavel* commands; default true
---@field use_vim_lsp_start? boolean  start clients with vim.lsp.start() from a FileType
---                               autocommand even on 0.11 (always so on 0.10)

M.defaults = {
  path = "gavel",
  filetypes = { "python", "rust" },
  root_markers = { "gavel.toml", ".git" },
  settings = {},
  commands = true,
}

---@type gavel.Options
M.options = vim.deepcopy(M.defaults)

--- The last `gavel/status` of each client: { state = "ok"|"error", rules = N, errors = {...} }.
M.statuses = {}

local FIX_ALL = "source.fixAll.gavel"
local has_011 = vim.fn.has("nvim-0.11") == 1

-- client:request() on 0.11, client.request() on 0.10.
local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function request_sync(client, method, params, timeout_ms, bufnr)
  if has_011 then
    return client:request_sync(method, params, timeout_ms, bufnr)
  end
  return client.request_sync(method, params, timeout_ms, bufnr)
end

local function notify(msg, level)
  vim.notify("gavel: " .. msg, level or vim.log.levels.INFO)
end

local warned_missing = false

--- Is `dir` (symlinks resolved) `root` or inside it?
local function inside(dir, root)
  local real = function(p)
    return vim.fs.normalize(vim.uv.fs_realpath(p) or p)
  end
  local d, r = real(dir), real(root)
  return d == r or d:sub(1, #r + 1) == r .. "/"
end

--- The first executable `name` in the directories of `env_path` that are absolute and not inside
--- one of `untrusted` (the working directory: the project). A `.`, an empty or a relative entry
--- would let a repository put a `gavel` of its own before the user's; only `path` may point
--- there.
function M.find_on_path(name, env_path, untrusted)
  for _, dir in ipairs(vim.split(env_path or "", ":", { plain = true })) do
    local trusted = dir:sub(1, 1) == "/"
    for _, root in ipairs(untrusted or {}) do
      trusted = trusted and not inside(dir, root)
    end
    local candidate = dir .. "/" .. name
    if trusted and vim.fn.executable(candidate) == 1 then
      return candidate
    end
  end
  return nil
end

--- The server command, or nil (with one notification saying how to fix it) when the binary is
--- missing.
function M.cmd(opts)
  opts = opts or M.options
  if opts.cmd then
    return opts.cmd
  end
  local path = vim.fn.expand(opts.path or "gavel")
  if not path:find("/", 1, true) then
    path = M.find_on_path(path, vim.env.PATH, { vim.fn.getcwd() }) or path
  end
  if not path:find("/", 1, true) or vim.fn.executable(path) ~= 1 then
    if not warned_missing and not opts.quiet then
      warned_missing = true
      notify(
        ("cannot find the gavel binary %q. Install it (cargo install --locked --path crates/gavel-cli) "
          .. "or pass its path: require('gavel').setup({ path = '/path/to/gavel' })"):format(path),
        vim.log.levels.WARN
      )
    end
    return nil
  end
  return { path, "lsp" }
end

-- Pull the diagnostics of every buffer of the client again. gavel sends `gavel/status` after
-- each policy (re)load; a client that pulls diagnostics but cannot be asked to pull again
-- (Neovim has no workspace/diagnostic/refresh) would otherwise keep the old results until the
-- next edit.
local function repull(client)
  if not (client and client.server_capabilities.diagnosticProvider) then
    return
  end
  for bufnr in pairs(client.attached_buffers or {}) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
      request(client, "textDocument/diagnostic", params, function(err, result, ctx)
        vim.lsp.diagnostic.on_diagnostic(err, result, ctx)
      end, bufnr)
    end
  end
end

local function on_status(_, result, ctx)
  if type(result) ~= "table" then
    return
  end
  repull(vim.lsp.get_client_by_id(ctx.client_id))
  local previous = M.statuses[ctx.client_id]
  M.statuses[ctx.client_id] = result
  if result.state == "error" then
    -- The server reports its state after every reload (a git checkout, each save): tell the
    -- user when it changes, not again for the same error (a hit-enter prompt each time).
    local e = (result.errors or {})[1] or {}
    local where = e.file and ("%s:%s:%s: "):format(e.file, e.line or 1, e.column or 1) or ""
    local message = "policy error: " .. where .. (e.message or "see the diagnostics")
    if not (previous and previous.state == "error" and previous.message == message) then
      notify(message, vim.log.levels.ERROR)
    end
    result.message = message
  elseif previous and previous.state == "error" then
    notify(("policies fixed: %d rules active"):format(result.rules or 0))
  end
  vim.api.nvim_exec_autocmds("User", { pattern = "GavelStatus", modeline = false, data = result })
  vim.cmd("redrawstatus!") -- statuslines that show require("gavel").statusline()
end

--- The client config shared by 0.10 and 0.11 (without cmd and root).
function M.client_config(opts)
  opts = opts or M.options
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if opts.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, opts.capabilities)
  end
  return {
    name = "gavel",
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
    init_options = opts.settings or {},
    capabilities = capabilities,
    -- Neovim logs a server's stderr as errors: keep gavel's INFO lines out unless asked for.
    cmd_env = { GAVEL_LOG = vim.env.GAVEL_LOG or "warn" },
    handlers = { ["gavel/status"] = on_status },
    on_attach = opts.on_attach,
    on_exit = function(_, _, client_id)
      M.statuses[client_id] = nil
    end,
  }
end

--- The gavel clients of a buffer (0 = current), or of every buffer when bufnr is nil.
function M.clients(bufnr)
  local filter = { name = "gavel" }
  if bufnr then
    filter.bufnr = bufnr == 0 and vim.api.nvim_get_current_buf() or bufnr
  end
  return vim.lsp.get_clients(filter)
end

--- Apply every preferred gavel fix in the buffer that does not overlap another
--- (the `source.fixAll.gavel` code action), synchronously, so it can run in BufWritePre.
--- Returns the number of actions applied (0 when there was nothing to fix).
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.clients(bufnr)[1]
  if not client then
    notify("no gavel server is attached to this buffer", vim.log.levels.WARN)
    return 0
  end
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
    context = { only = { FIX_ALL }, diagnostics = {}, triggerKind = 1 },
  }
  local response = request_sync(client, "textDocument/codeAction", params, timeout_ms or 5000, bufnr)
  if not response or response.err then
    notify(
      "fix all failed: " .. (response and vim.inspect(response.err) or "the server did not answer"),
      vim.log.levels.ERROR
    )
    return 0
  end
  local applied = 0
  for _, action in ipairs(response.result or {}) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = applied + 1
    end
  end
  return applied
end

--- Run a `workspace/executeCommand` on every gavel client (or those of bufnr).
function M.execute(command, arguments, bufnr)
  local clients = M.clients(bufnr)
  if #clients == 0 then
    notify("no gavel server is running", vim.log.levels.WARN)
  end
  for _, client in ipairs(clients) do
    request(client, "workspace/executeCommand", { command = command, arguments = arguments }, function(err)
      if err then
        notify(command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      end
    end)
  end
  return #clients
end

--- Reload the policies (gavel.toml and packs) and re-check every open buffer.
function M.reload()
  return M.execute("gavel.reloadPolicies", {})
end

--- Check the whole workspace; findings of unopened files go to the diagnostics list.
function M.scan()
  return M.execute("gavel.scanWorkspace", {})
end

--- A short status for a statusline: "gavel: 88 rules", "gavel: policy error", or "".
function M.statusline(bufnr)
  local client = M.clients(bufnr or 0)[1]
  local s = client and M.statuses[client.id]
  if not s then
    return ""
  end
  if s.state == "error" then
    return "gavel: policy error"
  end
  return ("gavel: %d rules"):format(s.rules or 0)
end

local function define_commands()
  vim.api.nvim_create_user_command("GavelFixAll", function()
    if M.clients(0)[1] and M.fix_all(0) == 0 then
      notify("nothing to fix")
    end
  end, { desc = "gavel: apply every preferred fix in this buffer" })
  vim.api.nvim_create_user_command("GavelReload", function()
    M.reload()
  end, { desc = "gavel: reload policies" })
  vim.api.nvim_create_user_command("GavelScan", function()
    M.scan()
  end, { desc = "gavel: scan the workspace" })
end

local group = vim.api.nvim_create_augroup("gavel", { clear = true })

--- Set up gavel. Safe to call more than once; the last options win.
---@param opts? gavel.Options
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  if M.options.commands then
    define_commands()
  end
  vim.api.nvim_clear_autocmds({ group = group })

  if has_011 and vim.lsp.config and not M.options.use_vim_lsp_start then
    local cmd = M.cmd(vim.tbl_extend("force", M.options, { quiet = true }))
    if not cmd then
      -- Say so once, when a Python or Rust buffer first needs the server, not at every start.
      vim.api.nvim_create_autocmd("FileType", {
        group = group,
        pattern = M.options.filetypes,
        once = true,
        callback = function()
          M.cmd()
        end,
      })
      return
    end
    vim.lsp.config("gavel", vim.tbl_extend("force", M.client_config(), { cmd = cmd }))
    vim.lsp.enable("gavel")
    return
  end

  -- Neovim 0.10: start (or reuse) a client per root from a FileType autocommand.
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= "" then
      return
    end
    local cmd = M.cmd()
    if not cmd then
      return
    end
    local config = M.client_config()
    config.cmd = cmd
    config.root_dir = vim.fs.root(bufnr, M.options.root_markers)
    config.root_markers = nil
    config.filetypes = nil
    vim.lsp.start(config, { bufnr = bufnr })
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      start(args.buf)
    end,
  })
  -- Buffers that were already open.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

return M
