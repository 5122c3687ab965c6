"""Summary tables: coverage (公开情况), required parts (结构完整性), timeliness (公开时效) and key
figures (主要数据) with the sentence each came from. `analyse` works on one report's parsed
document (in the read stage's workers); `tables` combines the results across the site; `output`
plugs all of it into the build (outputs.Output)."""
