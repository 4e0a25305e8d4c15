package io.aigw.projections.runtime;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The one place where this module's RxJava meets Vert.x {@link Future}: hosting runs on Rx inside,
 * and callers (the launcher, the admin UI, verticles) see Futures.
 */
final class FutureAdapter {

  private FutureAdapter() {}

  static <T> Future<T> toFuture(Single<T> single) {
    Promise<T> promise = Promise.promise();
    single.subscribe(promise::complete, promise::fail);
    return promise.future();
  }

  static Future<Void> toFuture(Completable completable) {
    Promise<Void> promise = Promise.promise();
    completable.subscribe(promise::complete, promise::fail);
    return promise.future();
  }

  static <T> Single<T> toSingle(Future<T> future) {
    return Single.create(
        emitter ->
            future.onComplete(
                value -> {
                  if (value == null) {
                    emitter.onError(new NullPointerException("future completed without a value"));
                  } else {
                    emitter.onSuccess(value);
                  }
                },
                emitter::tryOnError));
  }

  static Completable toCompletable(Future<?> future) {
    return Completable.create(
        emitter -> future.onComplete(ignored -> emitter.onComplete(), emitter::tryOnError));
  }
}
