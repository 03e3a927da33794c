-- Neovim 0.11+: with this plugin on 'runtimepath', `vim.lsp.enable("gavel")` works without
-- require("gavel").setup(); override anything with vim.lsp.config("gavel", { ... }).
local config = require("gavel").client_config()
config.cmd = { "gavel", "lsp" }
return config
