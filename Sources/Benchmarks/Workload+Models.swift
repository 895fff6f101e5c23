import Autoencoder
import Experts
import Flows
import NN
import Tensors

extension Workload {
    /// Inputs of the model workloads, as the reference makes them: uniform images and random labels.
    private static func images(_ n: Int, size: Int = 32, seed: UInt64) -> Tensor {
        var rng = Xoshiro256(seed: seed)
        return Tensor.uniform([n, 3, size, size], rng: &rng)
    }

    /// `deeplab_train_step`: one Adam step of DeepLabLite at batch 64 with per-pixel cross-entropy.
    public static var deeplabTrainStep: Workload {
        Workload(name: "deeplab_train_step", unit: "steps/s (batch 64)", workPerStep: 1) {
            let model = DeepLabLite(seed: 0)
            model.train()
            let x = images(64, seed: 1)
            var rng = Xoshiro256(seed: 2)
            let labels = (0..<(64 * 32 * 32)).map { _ in rng.nextInt(below: 11) }
            let optimizer = Adam(model.trainableParameters, learningRate: 1e-3)
            return {
                optimizer.zeroGrad()
                Tensor.crossEntropy(logits: model(x), targets: labels).backward()
                optimizer.step()
            }
        }
    }

    /// `deeplab_inference`: DeepLabLite forward in eval mode at batch 500, images/s.
    public static var deeplabInference: Workload {
        Workload(name: "deeplab_inference", unit: "images/s (batch 500)", workPerStep: 500) {
            let model = DeepLabLite(seed: 0)
            model.eval()
            let x = images(500, seed: 3)
            return { _ = Autograd.withoutGradients { model(x) } }
        }
    }

    /// `autoencoder_train_step`: one Adam step of the reference autoencoder at batch 64,
    /// squared error summed per image + 1e-3 · KL, as the reference.
    public static var autoencoderTrainStep: Workload {
        Workload(name: "autoencoder_train_step", unit: "steps/s (batch 64)", workPerStep: 1) {
            let model = ConvAutoencoder(latentDim: 64, width: 32, seed: 0)
            model.train()
            let x = images(64, seed: 4)
            let optimizer = Adam(model.trainableParameters, learningRate: 1e-3)
            var rng = Xoshiro256(seed: 5)
            return {
                optimizer.zeroGrad()
                let (y, mu, lv) = model.reconstruct(x, rng: &rng)
                ((y - x).squared().sum() * (1 / 64) + Tensor.gaussianKL(mean: mu, logVariance: lv) * 1e-3).backward()
                optimizer.step()
            }
        }
    }

    /// `autoencoder64_train_step`: one Adam step of the reference's `Autoencoder64` (the 32×32
    /// family with one more stage each way: width 32, 128-d latent) at batch 32 on 64×64 images,
    /// squared error summed per image + 1e-3 · KL, as the reference.
    public static var autoencoder64TrainStep: Workload {
        Workload(name: "autoencoder64_train_step", unit: "steps/s (batch 32, 64x64)", workPerStep: 1) {
            let model = ConvAutoencoder(latentDim: 128, width: 32, size: 64, seed: 0)
            model.train()
            let x = images(32, size: 64, seed: 6)
            let optimizer = Adam(model.trainableParameters, learningRate: 1e-3)
            var rng = Xoshiro256(seed: 7)
            return {
                optimizer.zeroGrad()
                let (y, mu, lv) = model.reconstruct(x, rng: &rng)
                ((y - x).squared().sum() * (1 / 32) + Tensor.gaussianKL(mean: mu, logVariance: lv) * 1e-3).backward()
                optimizer.step()
            }
        }
    }

    /// `cinn_train_step`: the reference's 10-block conditional flow (docs/flows.md).
    public static var cinnTrainStep: Workload {
        Workload(name: "cinn_train_step", unit: "steps/s (batch 128)", workPerStep: 1) { cinnTrainStepWorkload(seed: 0) }
    }
}
