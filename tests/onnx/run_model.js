// Runs an ONNX file in onnxruntime (onnxruntime-node, CPU) on raw float32 input, for
// tests/export: the check that a real runtime gives nnlab's outputs.
//
//   node run_model.js MODEL.onnx INPUT.f32 50x1x28x28 OUTPUT.f32
//
// INPUT.f32 holds the input's values (float32, little-endian, row-major) and nothing else;
// OUTPUT.f32 gets the model's one output the same way. Prints one JSON line: the input and
// output names and the output's dimensions. Any error: a message on stderr and exit code 1.
'use strict';
const fs = require('fs');

async function main() {
  const [modelPath, inputPath, dimsText, outputPath] = process.argv.slice(2);
  if (!outputPath) throw new Error('usage: node run_model.js MODEL.onnx INPUT.f32 DIMS OUTPUT.f32');
  const ort = require('onnxruntime-node');
  const dims = dimsText.split('x').map(Number);
  const bytes = fs.readFileSync(inputPath);
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) {
    throw new Error(`${inputPath} holds ${bytes.length} bytes; ${dimsText} float32 values need ${count * 4}`);
  }
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  // One thread: the same sums however many cores the machine has. ORT's default graph
  // optimisations stay on (the file runs as users run it).
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
    throw new Error(`${modelPath}: expected one input and one output, got ${session.inputNames} and ${session.outputNames}`);
  }
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', values, dims)};
  const results = await session.run(feeds);
  const output = results[session.outputNames[0]];
  if (output.type !== 'float32') throw new Error(`output is ${output.type}, not float32`);
  fs.writeFileSync(outputPath, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
  console.log(JSON.stringify({input: session.inputNames[0], output: session.outputNames[0], dims: output.dims}));
}

main().catch((error) => {
  console.error(`run_model.js: ${error.message}`);
  process.exit(1);
});
