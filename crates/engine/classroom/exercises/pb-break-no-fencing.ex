# Break it: without votes and epoch checks, two backups promote themselves into one epoch.
protocol primary-backup
kind break
title Break it: split brain
title.zh 破坏它：脑裂
link v=1&p=primary-backup&n=3&seed=1&c=0&bug=no-fencing&t=0
text Planted bug no-fencing: a backup that suspects the primary promotes itself without a majority's votes, and nobody checks epochs. With at most 2 actions, make two nodes primary of the same epoch, so that OnePrimaryPerEpoch fails within 2 s.
text.zh 植入的缺陷 no-fencing：怀疑主节点失效的备份节点不经多数派投票就晋升自己，也没有人检查纪元。最多使用 2 次操作，让两个节点成为同一纪元的主节点，使 OnePrimaryPerEpoch 在 2 秒内被违反。
invariant OnePrimaryPerEpoch
max-actions 2
within 2s
allow crash restart partition heal timeout
at 100ms timeout 2
at 100ms timeout 3
