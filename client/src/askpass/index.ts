// ssh's prompts in VS Code: the askpass server for libvirt's ssh transport, and the classifier
// of ssh and libssh/libssh2 prompts the UI matches on.
export { AskpassServer, ASKPASS_DISPLAY, type AskpassServerOptions, type PromptHandler } from './server';
export { classifyCredential, classifySshPrompt, type SshPrompt } from './prompt';
