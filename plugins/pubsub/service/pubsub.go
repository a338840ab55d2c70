package service

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

// The PubSub calls go to the running driver; before Configure and after
// Close they fail with unavailable.

func (s *Service) Publish(ctx context.Context, namespace, topic string, data []byte) error {
	d, err := s.driver()
	if err != nil {
		return err
	}
	err = d.Publish(ctx, namespace, topic, data)
	if err != nil {
		publishedError.Inc()
	} else {
		publishedOK.Inc()
	}
	return err
}

func (s *Service) Subscribe(ctx context.Context, namespace, topic string) (pubsub.Subscription, error) {
	d, err := s.driver()
	if err != nil {
		return nil, err
	}
	sub, err := d.Subscribe(ctx, namespace, topic)
	if err != nil {
		return nil, err
	}
	return newCountedSub(sub), nil
}

func (s *Service) Topics(ctx context.Context, namespace string) ([]string, error) {
	d, err := s.driver()
	if err != nil {
		return nil, err
	}
	return d.Topics(ctx, namespace)
}

func (s *Service) Join(ctx context.Context, namespace, topic string, m pubsub.Member, ttl time.Duration) error {
	d, err := s.driver()
	if err != nil {
		return err
	}
	return d.Join(ctx, namespace, topic, m, ttl)
}

func (s *Service) Leave(ctx context.Context, namespace, topic, memberID string) error {
	d, err := s.driver()
	if err != nil {
		return err
	}
	return d.Leave(ctx, namespace, topic, memberID)
}

func (s *Service) Members(ctx context.Context, namespace, topic string) ([]pubsub.Member, error) {
	d, err := s.driver()
	if err != nil {
		return nil, err
	}
	return d.Members(ctx, namespace, topic)
}
