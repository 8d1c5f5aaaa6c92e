// The classic experiments (placeholder until the experiment API lands).
export class Experiments {
  init() {
    document.getElementById("experiment-list").textContent = "The experiments come here.";
  }
}
