import Flows
import NN
import Tensors

/// The `cinn_train_step` workload of shared/bench/torch_reference.py with exactly its shapes:
/// 10 blocks, 64-d code, 128-d condition from a 64×8×8 feature map through the reference
/// embedder, coupling width 256, batch 128, Adam (amsgrad, betas (0.5, 0.9), lr 1e-4), loss
/// mean(0.5·‖v‖² − logdet). Each call of the returned closure performs one step. The optimiser is
/// NN's Adam, as the trainer uses.
func cinnTrainStepWorkload(seed: UInt64 = 0) -> () -> Void {
    let configuration = FlowConfiguration(codeDimension: 64, blocks: 10, couplingWidth: 256, couplingHiddenLayers: 2,
                                          embeddingDimension: 128, scaleClamp: 1, seed: seed)
    let model = try! ConditionalFlow(configuration: configuration, embedder: .benchmarkReference)
    model.train()
    var rng = Xoshiro256(seed: seed &+ 1)
    let z = Tensor.normal([128, 64], rng: &rng)
    let features = Tensor.normal([128, 64, 8, 8], rng: &rng)
    model.embedder.standardizer.fit(features)
    let optimizer = Adam(model.trainableParameters, learningRate: 1e-4, betas: (0.5, 0.9), amsgrad: true)
    // Forward and backward in a function of their own: the graph (whose closures keep views of
    // the weights) is released before the in-place update, which would otherwise copy every weight.
    func gradients() {
        let (v, logdet) = model.encode(z, features: features)
        (v.squared().sum(axes: [1]) * 0.5 - logdet).mean().backward()
    }
    return {
        gradients()
        optimizer.step()
        optimizer.zeroGrad()
    }
}
