// PostGraphile 5 declares Node >= 22 and uses Promise.withResolvers (Node 22); on Node 20 list
// queries fail without it ("Cannot read properties of undefined (reading 'items')").
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
