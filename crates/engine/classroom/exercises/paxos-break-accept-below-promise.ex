# Break it: acceptors that accept below their promise break the promise a proposer relies on.
protocol paxos
kind break
title Break it: a broken promise
title.zh 破坏它：违背的承诺
link v=1&p=paxos&n=3&seed=1&c=0&bug=accept-below-promise&net=10000-10000-0-0&t=0
text Planted bug accept-below-promise: an acceptor accepts a ballot lower than the one it promised. With at most 2 client requests, make PromiseMonotonic fail within 2 s. Hint: two proposers, one shortly after the other.
text.zh 植入的缺陷 accept-below-promise：接受者会接受比它承诺过的更小的提案号。最多发送 2 个客户端请求，让 PromiseMonotonic 在 2 秒内被违反。提示：两个提议者，一个紧跟在另一个之后。
invariant PromiseMonotonic
max-actions 2
within 2s
allow request
at 0ms request to 1 put 1 1
at 15ms request to 2 put 1 2
