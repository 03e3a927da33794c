-- The Neovim config for scripts/screenshot-neovim.sh: the plugin as a user sets it up, with
-- diagnostics shown as virtual text and the gavel status in the statusline.
local repo = assert(os.getenv("GAVEL_REPO"))
vim.opt.runtimepath:prepend(repo .. "/editors/neovim")
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 2
vim.o.statusline = " %f %m%=%{v:lua.require'gavel'.statusline()}   %l:%c "
vim.diagnostic.config({
  virtual_text = {
    format = function(d)
      return ("%s: %s"):format(d.code, d.message)
    end,
  },
  signs = true,
  underline = true,
  severity_sort = true,
})
require("gavel").setup({ path = os.getenv("GAVEL_BIN") or "gavel" })
