/**
 * Files: the <a href="https://github.com/huggingface/safetensors">safetensors</a> format
 * that checkpoints use (readable from Python unchanged), and the exception that names the
 * file and the byte offset of malformed content.
 */
package dev.autodiff.nn.io;
