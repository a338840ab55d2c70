# Every block is optional: an empty file means the defaults and no plugins.
