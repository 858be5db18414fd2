/** The embedded digits data set and its compact file format. */
package dev.autodiff.examples.data;
