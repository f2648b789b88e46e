'use client';
import { useEffect, useRef, useState } from 'react';

/** The part of the Barcode Detection API used here (Chromium on Android, macOS, ChromeOS). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

const SCAN_INTERVAL_MS = 300;

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** Whether this browser can read QR codes from the camera at all. */
export function cameraScanSupported(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && !!detectorClass();
}

/**
 * The back camera, read a few times a second until a QR code shows; hands its text to `onCode`
 * and stops the camera. Rendered only where cameraScanSupported().
 */
export function CameraScanner({ onCode, onStop }: { onCode: (code: string) => void; onStop: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    const detector = new Detector({ formats: ['qr_code'] });
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const scan = async () => {
      if (stopped || !video.current) return;
      try {
        const [found] = await detector.detect(video.current);
        if (found?.rawValue && !stopped) {
          stopped = true;
          onCode(found.rawValue);
          return;
        }
      } catch {
        // a frame that could not be read (the video not ready yet): try the next one
      }
      // void: scan catches a frame's failure itself and schedules the next one.
      timer = setTimeout(() => void scan(), SCAN_INTERVAL_MS);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        void scan(); // catches a frame's failure itself
      })
      .catch(() => setError('The camera could not be opened. Allow camera access, or paste the code below.'));

    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode]);

  return (
    <div className="camera">
      {error ? (
        <div role="alert" className="alert">
          <p>{error}</p>
        </div>
      ) : (
        <video ref={video} className="camera-video" muted playsInline aria-label="Camera view: hold the ticket's QR code in front of it" />
      )}
      <button type="button" className="button button-secondary" onClick={onStop}>
        Stop camera
      </button>
    </div>
  );
}
